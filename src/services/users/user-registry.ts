import { LRUCache } from 'lru-cache';
import type { Database } from '../../db/database.js';
import { insertUserIfAbsent, type TokenIdentity } from '../../db/users-repo.js';

/** Maps a token identity to our user id, registering on first sight. */
export interface UserRegistry {
  /** `describe` builds (and validates) the profile; called only when the caller is not cached. */
  ensureRegistered(who: { issuer: string; sub: string }, describe: () => TokenIdentity): Promise<string>;
  /** Drops a cached mapping, e.g. after the user was deleted. */
  forget(userId: string): void;
}

export interface UserRegistryOptions {
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}

/**
 * Caches (issuer, sub) → id so the hot path costs no query; the TTL bounds how long another
 * replica can keep an id after the user was deleted elsewhere.
 */
export function createUserRegistry(db: Database, o: UserRegistryOptions = {}): UserRegistry {
  const cache = new LRUCache<string, string>({
    max: o.maxEntries ?? 10_000,
    ttl: o.ttlMs ?? 60_000,
    ...(o.now ? { ttlResolution: 0, perf: { now: o.now } } : {}),
  });
  const keyOf = (who: { issuer: string; sub: string }) => `${who.issuer}\n${who.sub}`;

  return {
    async ensureRegistered(who, describe) {
      const key = keyOf(who);
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const { id } = await insertUserIfAbsent(db, describe());
      cache.set(key, id);
      return id;
    },
    forget(userId) {
      const stale = [...cache.entries()].filter(([, id]) => id === userId).map(([key]) => key);
      for (const key of stale) cache.delete(key);
    },
  };
}
