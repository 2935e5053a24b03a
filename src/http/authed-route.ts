import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { authenticate } from './auth/middleware.js';
import { bearerSecurity } from './openapi-responses.js';

const registerCaller = [authenticate()];

/** A route behind a bearer token: declares the security scheme and authenticates (and registers) the caller. */
export function authedRoute<P extends string, R extends Omit<RouteConfig, 'path' | 'security' | 'middleware'> & { path: P }>(config: R) {
  return createRoute({ ...config, security: bearerSecurity, middleware: registerCaller });
}
