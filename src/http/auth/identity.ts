/** Identity lives with the services (workers act for users too); HTTP code imports it from here. */
export type { Identity, TokenVerifier } from '../../services/identity.js';
