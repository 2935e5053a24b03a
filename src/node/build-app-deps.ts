import type { Redis } from 'ioredis';
import type { AppDeps, Logger } from '../app-deps.js';
import type { Config } from '../config.js';
import { createJwksResolver } from '../http/auth/jwks-resolver.js';
import { createTokenVerifier } from '../http/auth/token-verifier.js';
import { withVerifiedTokenCache } from '../http/auth/verified-token-cache.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ToscaEngine } from '../tosca/index.js';
import { createSecretBox } from '../services/secret-box.js';
import { createUserRegistry } from '../services/users/user-registry.js';
import type { OpenDatabase } from './database.js';
import type { DevIssuer } from './dev-issuer.js';
import { httpProbe, redisProbe } from './probes.js';

export interface NodeResources {
  config: Config;
  database: OpenDatabase;
  redis: Redis;
  queue: JobQueue;
  logger: Logger;
  secretKey: string;
  tosca: ToscaEngine;
  devIssuer?: DevIssuer;
  imUrl?: string;
}

/** Turns real connections into the ports createApp expects. */
export async function buildAppDeps(r: NodeResources): Promise<AppDeps> {
  const { config } = r;
  const issuers = r.devIssuer ? [...config.oidc.issuers, r.devIssuer.issuer] : config.oidc.issuers;
  const localKeys = r.devIssuer ? new Map([[r.devIssuer.issuer, r.devIssuer.keySet]]) : undefined;
  return {
    settings: {
      publicUrl: config.publicUrl,
      bodyLimitBytes: config.bodyLimitBytes,
      corsOrigins: config.corsOrigins,
      imUrl: r.imUrl ?? config.im.url,
      oidcIssuers: config.oidc.issuers,
      opaUrl: config.opaUrl,
      vaultUrl: config.vaultUrl,
    },
    db: r.database.db,
    auth: withVerifiedTokenCache(createTokenVerifier({
      issuers,
      audience: config.oidc.audience,
      groupsClaim: config.oidc.groupsClaim,
      adminGroups: config.oidc.adminGroups,
      allowedGroups: config.oidc.allowedGroups,
      jwks: createJwksResolver({ localKeys }),
    })),
    users: createUserRegistry(r.database.db),
    queue: r.queue,
    secrets: await createSecretBox(r.secretKey),
    tosca: r.tosca,
    logger: r.logger,
    health: {
      db: r.database.ping,
      redis: redisProbe(r.redis),
      ...(config.opaUrl ? { opa: httpProbe(`${config.opaUrl.replace(/\/$/, '')}/health`) } : {}),
      ...(config.vaultUrl ? { vault: httpProbe(`${config.vaultUrl.replace(/\/$/, '')}/v1/sys/health?standbyok=true`) } : {}),
    },
    devIssuer: r.devIssuer ? { issuer: r.devIssuer.issuer, jwks: r.devIssuer.jwks } : undefined,
  };
}
