import { LRUCache } from 'lru-cache';
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
  const now = o.now ?? Date.now;
  // ttlResolution 0: lru-cache otherwise reuses a clock reading for 1 ms, which could outlive an exp.
  const cache = new LRUCache<string, Identity>({ max: o.maxEntries ?? 10_000, ttl: ttlMs, ttlResolution: 0, perf: { now } });

  return {
    async verify(authorization) {
      const hit = authorization ? cache.get(authorization) : undefined;
      if (hit) return hit;
      const identity = await inner.verify(authorization);
      const expiresAt = identity.expiresAt === undefined ? Infinity : identity.expiresAt * 1000;
      const ttl = Math.min(expiresAt - now(), ttlMs);
      if (ttl >= 1) cache.set(authorization!, identity, { ttl: Math.floor(ttl) });
      return identity;
    },
  };
}
