import type { Context, MiddlewareHandler } from 'hono';
import { loggableError } from '../services/loggable-error.js';
import type { Identity } from './auth/identity.js';
import type { AppEnv } from './env.js';
import { v1ErrorBody } from './errors.js';

/** Authenticated callers have a read and a write budget each; callers without a valid token share one per client IP. */
export type RateLimitBudget = 'reads' | 'writes' | 'anonymous';

/** Where a key stands in its budget's current window, after counting this request. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Until the window ends and the budget is whole again. */
  resetMs: number;
  exceeded: boolean;
}

/** Request budgets shared by every API replica. */
export interface RateLimiter {
  /** Counts one request of `key` against `budget`; undefined when that budget is off. Rejects when the store is unreachable. */
  take(budget: RateLimitBudget, key: string): Promise<RateLimitState | undefined>;
}

export interface RateLimitSettings {
  adminsExempt: boolean;
  /** Take the client IP from the last X-Forwarded-For hop (the API sits behind one trusted proxy). */
  trustProxy: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const STORE_WARNING_EVERY_MS = 60_000;

function clientIp(c: Context<AppEnv>, settings: RateLimitSettings): string {
  if (settings.trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',').map((h) => h.trim()).filter(Boolean);
    if (hops?.length) return hops[hops.length - 1]!;
  }
  return c.get('deps').clientAddress?.(c.env) ?? 'unknown';
}

function windowHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(Math.ceil(state.resetMs / 1000)),
  };
}

/**
 * Counts every /api request except health probes. It runs before routing, where a route's authenticate()
 * has not run yet, so it verifies the bearer token itself (a cache hit for a known token) and hands the
 * outcome on to authenticate(): a valid token spends its user's budget, anything else its client IP's.
 */
export function rateLimit(limiter: RateLimiter, settings: RateLimitSettings): MiddlewareHandler<AppEnv> {
  let lastStoreWarning = -Infinity;
  return async (c, next) => {
    if (c.req.path === '/api/v1/health' || c.req.path.startsWith('/api/v1/health/')) return next();
    const deps = c.get('deps');
    const authorization = c.req.header('authorization');
    let identity: Identity | undefined;
    if (authorization) {
      const verified = deps.auth.verify(authorization);
      c.set('verifiedToken', verified);
      identity = await verified.catch(() => undefined);
    }
    if (identity?.isAdmin && settings.adminsExempt) return next();
    const budget: RateLimitBudget = identity ? (WRITE_METHODS.has(c.req.method) ? 'writes' : 'reads') : 'anonymous';
    const key = identity ? `user:${identity.issuer} ${identity.sub}` : `ip:${clientIp(c, settings)}`;
    let state: RateLimitState | undefined;
    try {
      state = await limiter.take(budget, key);
    } catch (err) {
      const now = deps.now().getTime();
      if (now - lastStoreWarning >= STORE_WARNING_EVERY_MS) {
        lastStoreWarning = now;
        deps.logger.warn({ err: loggableError(err) }, 'rate limiter store unreachable: serving requests without rate limits');
      }
      return next();
    }
    if (!state) return next();
    const headers = windowHeaders(state);
    if (state.exceeded) {
      const retryAfter = Math.max(1, Math.ceil(state.resetMs / 1000));
      const what = budget === 'anonymous' ? 'requests without a valid token from this address' : budget;
      return c.json(v1ErrorBody(429, `Rate limit exceeded: at most ${state.limit} ${what} per minute; retry in ${retryAfter} s`), 429, {
        ...headers,
        'Retry-After': String(retryAfter),
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}
