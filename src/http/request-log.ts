import { createMiddleware } from 'hono/factory';
import type { Logger } from '../services/logger.js';
import type { AppEnv } from './env.js';

/** Probes and scrapes arrive every few seconds: at debug, so they do not drown the requests people make. */
const CHATTY_PATHS = new Set(['/api/v1/health', '/metrics']);

/**
 * One line per request once it is answered: request id, method, route template, path, status, duration and the
 * caller (our user id once registered, else the token subject). Never headers or bodies.
 */
export function logRequests(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const userId = c.get('userId');
    const sub = userId ? undefined : c.get('identity')?.sub;
    const line = {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(userId ? { userId } : {}),
      ...(sub ? { sub } : {}),
    };
    if (!CHATTY_PATHS.has(c.req.path)) logger.info(line, 'request');
    else logger.debug?.(line, 'request');
  });
}
