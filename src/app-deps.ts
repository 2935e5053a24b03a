import type { JSONWebKeySet } from 'jose';
import type { RateLimiter, RateLimitSettings } from './http/rate-limit.js';
import type { EventFeed } from './services/events/deployment-events.js';
import type { TokenVerifier } from './services/identity.js';
import type { Services } from './services/services.js';
import type { UserRegistry } from './services/users/user-registry.js';

export type { Logger } from './services/logger.js';

/** A health probe resolves when the dependency answers and rejects with the reason otherwise. */
export type HealthProbe = () => Promise<void>;

export interface AppSettings {
  /** Base URL used for absolute links and Location headers when behind a proxy. */
  publicUrl?: string;
  bodyLimitBytes: number;
  /** How often an idle event stream gets a `: ping` comment. */
  eventsHeartbeatMs: number;
  templateMaxBytes: number;
  corsOrigins?: string[];
  rateLimit?: RateLimitSettings;
  imUrl?: string;
  oidcIssuers: string[];
  opaUrl?: string;
  vaultUrl?: string;
}

/** The HTTP side: the shared services plus what only requests need. */
export interface AppDeps extends Services {
  settings: AppSettings;
  auth: TokenVerifier;
  users: UserRegistry;
  /** The deployment event streams, live from one subscription per process. */
  eventFeed: EventFeed;
  /** `draining` is true once the process is shutting down: health then answers 503 so load balancers move on. */
  health: { db: HealthProbe; redis: HealthProbe; opa?: HealthProbe; vault?: HealthProbe; draining?: () => boolean };
  /** The local development issuer, served under /dev-issuer when enabled. */
  devIssuer?: { issuer: string; jwks: JSONWebKeySet };
  /** Shared request budgets; without one nothing is rate limited. */
  rateLimiter?: RateLimiter;
  /** The peer address of the connection, from the runtime's request bindings (Hono's `c.env`). */
  clientAddress?: (bindings: unknown) => string | undefined;
}
