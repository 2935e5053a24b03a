import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { RateLimitBudget, RateLimiter } from '../http/rate-limit.js';

const WINDOW_SEC = 60;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rate limiter store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One-minute windows counted in Redis (one atomic script per request), so every API replica on the same
 * Redis and prefix spends the same budgets. Without a ready connection it rejects at once, and after
 * `timeoutMs` when Redis hangs: the caller then serves the request unlimited.
 */
export function createRedisRateLimiter(redis: Redis, prefix: string, limits: Config['rateLimit'], timeoutMs = 500): RateLimiter | undefined {
  const budget = (points: number, name: RateLimitBudget) =>
    points > 0 ? new RateLimiterRedis({ storeClient: redis, points, duration: WINDOW_SEC, keyPrefix: `${prefix}:ratelimit:${name}`, rejectIfRedisNotReady: true }) : undefined;
  const budgets: Record<RateLimitBudget, RateLimiterRedis | undefined> = {
    reads: budget(limits.readsPerMin, 'reads'),
    writes: budget(limits.writesPerMin, 'writes'),
    anonymous: budget(limits.anonymousPerMin, 'anonymous'),
  };
  if (!Object.values(budgets).some(Boolean)) return undefined;
  return {
    async take(name, key) {
      const limiter = budgets[name];
      if (!limiter) return undefined;
      try {
        const res = await within(limiter.consume(key), timeoutMs);
        return { limit: limiter.points, remaining: res.remainingPoints, resetMs: res.msBeforeNext, exceeded: false };
      } catch (err) {
        if (err instanceof RateLimiterRes) return { limit: limiter.points, remaining: 0, resetMs: err.msBeforeNext, exceeded: true };
        throw err;
      }
    },
  };
}

/** The peer address @hono/node-server exposes in the request bindings. */
export function nodeClientAddress(bindings: unknown): string | undefined {
  return (bindings as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
}
