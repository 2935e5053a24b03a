import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { UnavailableError } from '../../services/errors.js';

export interface JwksResolverOptions {
  fetch?: typeof fetch;
  /** Issuers whose keys are known locally (the dev issuer); no HTTP round trip. */
  localKeys?: Map<string, JWTVerifyGetKey>;
  discoveryTimeoutMs?: number;
}

export interface JwksResolver {
  keyFor(issuer: string): Promise<JWTVerifyGetKey>;
}

/**
 * Discovers each issuer's jwks_uri once through /.well-known/openid-configuration and keeps one
 * jose remote key set per issuer, which caches keys and only refetches on an unknown kid.
 */
export function createJwksResolver(options: JwksResolverOptions = {}): JwksResolver {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.discoveryTimeoutMs ?? 5000;
  const discovered = new Map<string, Promise<JWTVerifyGetKey>>();

  async function discover(issuer: string): Promise<JWTVerifyGetKey> {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let jwksUri: unknown;
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      jwksUri = ((await res.json()) as { jwks_uri?: unknown }).jwks_uri;
    } catch (err) {
      throw new UnavailableError(`cannot reach the identity provider ${issuer}: ${(err as Error).message}`);
    }
    if (typeof jwksUri !== 'string') throw new UnavailableError(`identity provider ${issuer} publishes no jwks_uri`);
    return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: timeoutMs, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  }

  return {
    keyFor(issuer) {
      const local = options.localKeys?.get(issuer);
      if (local) return Promise.resolve(local);
      let pending = discovered.get(issuer);
      if (!pending) {
        pending = discover(issuer);
        discovered.set(issuer, pending);
        pending.catch(() => discovered.delete(issuer));
      }
      return pending;
    },
  };
}
