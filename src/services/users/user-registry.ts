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
  const maxEntries = o.maxEntries ?? 10_000;
  const ttlMs = o.ttlMs ?? 60_000;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { id: string; until: number }>();
  const keyOf = (who: { issuer: string; sub: string }) => `${who.issuer}\n${who.sub}`;

  return {
    async ensureRegistered(who, describe) {
      const key = keyOf(who);
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.id;
      const { id } = await insertUserIfAbsent(db, describe());
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(key, { id, until: now() + ttlMs });
      return id;
    },
    forget(userId) {
      for (const [key, entry] of cache) if (entry.id === userId) cache.delete(key);
    },
  };
}
