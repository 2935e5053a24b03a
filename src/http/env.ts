import type { AppDeps } from '../app-deps.js';
import type { Identity } from './auth/identity.js';

/** Hono environment shared by every route: deps, the caller, and the request id. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    identity: Identity;
    /** Our user id for the caller, once registered. */
    userId: string;
    /** The bearer token's verification, started by the rate limiter so authenticate() does not repeat it. */
    verifiedToken: Promise<Identity> | undefined;
  };
}
