import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import type { AppDeps } from './app-deps.js';
import type { AppEnv } from './http/env.js';
import { renderV1Error, v1ErrorBody, validationHook } from './http/errors.js';
import { rateLimit } from './http/rate-limit.js';
import { logRequests } from './http/request-log.js';
import { traceRequests } from './http/tracing.js';
import { configurationRoutes } from './routes/v1/configuration.js';
import { deploymentsRoutes } from './routes/v1/deployments.js';
import { devIssuerRoutes } from './routes/dev-issuer.js';
import { eventsRoutes } from './routes/v1/events.js';
import { legacyRoutes } from './routes/legacy/index.js';
import { healthRoutes } from './routes/v1/health.js';
import { logsRoutes } from './routes/v1/logs.js';
import { resourcesRoutes } from './routes/v1/resources.js';
import { templatesRoutes } from './routes/v1/templates.js';
import { usersRoutes } from './routes/v1/users.js';

export type { AppDeps } from './app-deps.js';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface CreateAppOptions {
  /** Adds runtime-specific routes (metrics, queue dashboard) from the entry point. */
  mount?: (app: OpenAPIHono<AppEnv>) => void;
}

/** Builds the HTTP application from its dependencies; no sockets, env reads or singletons here. */
export function createApp(deps: AppDeps, options: CreateAppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestId({ limitLength: 128 }));
  app.use('*', logRequests(deps.logger));
  app.use('/api/*', traceRequests);
  const corsOrigins = deps.settings.corsOrigins ?? [];
  if (corsOrigins.length) {
    app.use(
      '/api/*',
      cors({
        origin: corsOrigins.includes('*') ? '*' : corsOrigins,
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        exposeHeaders: ['Location', 'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'],
        maxAge: 600,
      }),
    );
  }
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  options.mount?.(app);
  // Before the body limit, so a 413 counts and carries the budget headers; after CORS, so a 429 is readable by the dashboard.
  if (deps.rateLimiter) app.use('/api/*', rateLimit(deps.rateLimiter, deps.settings.rateLimit ?? { adminsExempt: false, trustProxy: false }));
  const limitBody = bodyLimit({
    maxSize: deps.settings.bodyLimitBytes,
    onError: (c) => c.json(v1ErrorBody(413, `Request body exceeds ${deps.settings.bodyLimitBytes} bytes`), 413),
  });
  // Only requests that carry a body: looking for one on a GET materialises the whole Request.
  app.use('/api/*', (c, next) => (METHODS_WITH_BODY.has(c.req.method) ? limitBody(c, next) : next()));
  app.use('*', legacyRoutes(deps));

  const v1 = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .route('/', healthRoutes)
    .route('/', configurationRoutes)
    .route('/', usersRoutes)
    .route('/', templatesRoutes)
    .route('/', deploymentsRoutes)
    .route('/', resourcesRoutes)
    .route('/', logsRoutes)
    .route('/', eventsRoutes);
  app.route('/api/v1', v1);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An OIDC access token from a trusted issuer',
  });
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Orchestrator API',
      version: '1.0.0',
      description: 'Deploys TOSCA templates on federated clouds through the Infrastructure Manager.',
    },
    servers: deps.settings.publicUrl ? [{ url: deps.settings.publicUrl }] : undefined,
  });
  app.get('/docs', Scalar({ url: '/api/v1/openapi.json', pageTitle: 'Orchestrator API' }));

  if (deps.devIssuer) app.route('/dev-issuer', devIssuerRoutes(deps.devIssuer));

  app.notFound((c) => c.json(v1ErrorBody(404, `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    const res = renderV1Error(err, c);
    if (res.status === 401) res.headers.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    return res;
  });
  return app;
}
