import type { Identity, TokenVerifier } from './identity.js';

export interface VerifiedTokenCacheOptions {
  /** How long a verified token is trusted without checking its signature again. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Remembers tokens whose signature and claims were verified, until the sooner of their `exp` and
 * the TTL: a busy client sends the same token many times a second, and re-checking an unchanged
 * signature only costs CPU. Rejections are never cached; the TTL bounds how long a key revoked
 * at the identity provider keeps working here.
 */
export function withVerifiedTokenCache(inner: TokenVerifier, o: VerifiedTokenCacheOptions = {}): TokenVerifier {
  const ttlMs = o.ttlMs ?? 60_000;
  const maxEntries = o.maxEntries ?? 10_000;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { identity: Identity; until: number }>();

  return {
    async verify(authorization) {
      const hit = authorization ? cache.get(authorization) : undefined;
      if (hit) {
        if (hit.until > now()) return hit.identity;
        cache.delete(authorization!);
      }
      const identity = await inner.verify(authorization);
      const expiresAt = identity.expiresAt === undefined ? Infinity : identity.expiresAt * 1000;
      const until = Math.min(expiresAt, now() + ttlMs);
      if (until > now()) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(authorization!, { identity, until });
      }
      return identity;
    },
  };
}
