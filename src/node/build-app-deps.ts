import type { Redis } from 'ioredis';
import type { AppDeps } from '../app-deps.js';
import type { Config } from '../config.js';
import { createJwksResolver } from '../http/auth/jwks-resolver.js';
import { createTokenVerifier } from '../http/auth/token-verifier.js';
import { withVerifiedTokenCache } from '../http/auth/verified-token-cache.js';
import type { EventFeed } from '../services/events/deployment-events.js';
import type { Services } from '../services/services.js';
import { createUserRegistry } from '../services/users/user-registry.js';
import type { OpenDatabase } from './database.js';
import type { DevIssuer } from './dev-issuer.js';
import { httpProbe, redisProbe } from './probes.js';
import { createRedisRateLimiter, nodeClientAddress } from './rate-limiter.js';

export interface NodeResources {
  config: Config;
  database: OpenDatabase;
  redis: Redis;
  services: Services;
  eventFeed: EventFeed;
  devIssuer?: DevIssuer;
  imUrl?: string;
  /** True while the process shuts down (health answers 503). */
  draining?: () => boolean;
}

/** Turns real connections into the ports createApp expects. */
export function buildAppDeps(r: NodeResources): AppDeps {
  const { config } = r;
  const issuers = r.devIssuer ? [...config.oidc.issuers, r.devIssuer.issuer] : config.oidc.issuers;
  const localKeys = r.devIssuer ? new Map([[r.devIssuer.issuer, r.devIssuer.keySet]]) : undefined;
  return {
    ...r.services,
    settings: {
      publicUrl: config.publicUrl,
      bodyLimitBytes: config.bodyLimitBytes,
      eventsHeartbeatMs: config.eventsHeartbeatMs,
      templateMaxBytes: config.templateMaxBytes,
      rateLimit: { adminsExempt: config.rateLimit.adminsExempt, trustProxy: config.rateLimit.trustProxy },
      corsOrigins: config.corsOrigins,
      imUrl: r.imUrl ?? config.im.url,
      oidcIssuers: config.oidc.issuers,
      opaUrl: config.opaUrl,
      vaultUrl: config.vaultUrl,
    },
    auth: withVerifiedTokenCache(createTokenVerifier({
      issuers,
      audience: config.oidc.audience,
      groupsClaim: config.oidc.groupsClaim,
      adminGroups: config.oidc.adminGroups,
      allowedGroups: config.oidc.allowedGroups,
      jwks: createJwksResolver({ localKeys }),
    })),
    users: createUserRegistry(r.services.db),
    eventFeed: r.eventFeed,
    rateLimiter: createRedisRateLimiter(r.redis, config.queuePrefix, config.rateLimit),
    clientAddress: nodeClientAddress,
    health: {
      db: r.database.ping,
      redis: redisProbe(r.redis),
      ...(config.opaUrl ? { opa: httpProbe(`${config.opaUrl.replace(/\/$/, '')}/health`) } : {}),
      ...(config.vaultUrl ? { vault: httpProbe(`${config.vaultUrl.replace(/\/$/, '')}/v1/sys/health?standbyok=true`) } : {}),
      ...(r.draining ? { draining: r.draining } : {}),
    },
    devIssuer: r.devIssuer ? { issuer: r.devIssuer.issuer, jwks: r.devIssuer.jwks } : undefined,
  };
}
