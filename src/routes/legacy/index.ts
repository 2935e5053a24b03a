import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { AppDeps } from '../../app-deps.js';
import { authenticate } from '../../http/auth/middleware.js';
import type { AppEnv } from '../../http/env.js';
import { legacyDeploymentsRoutes } from './deployments.js';
import { legacyErrorResponse, legacyJson, renderLegacyError } from './http.js';
import { legacyResourcesRoutes } from './resources.js';

/** Each legacy route and its methods: another method on a known route is a 405, an unknown route a 404. */
const ROUTES: Array<[RegExp, string[]]> = [
  [/^\/info$/, ['GET']],
  [/^\/configuration$/, ['GET']],
  [/^\/deployments$/, ['GET', 'POST']],
  [/^\/deployments\/[^/]+$/, ['GET', 'PUT', 'PATCH', 'DELETE']],
  [/^\/deployments\/[^/]+\/(template|log|extrainfo|resources)$/, ['GET']],
  [/^\/deployments\/[^/]+\/resources\/[^/]+$/, ['GET']],
  [/^\/deployments\/[^/]+\/resources\/[^/]+\/actions$/, ['POST']],
];

const LEGACY_PATH = /^\/(info|configuration|deployments)(\/|$)/;

/** `//deployments/` → `/deployments`: a base ending in "/" and trailing slashes are both tolerated. */
export function normalizeLegacyPath(pathname: string): string {
  const collapsed = pathname.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** Spring's bearer extraction: the scheme word in any case, cut at the first ",", else `?access_token=`. */
function legacyAuthorization(headers: Headers, url: URL): string | undefined {
  const given = headers.get('authorization');
  if (given) return given.split(',')[0]!.trim();
  const token = url.searchParams.get('access_token');
  // A token no header can carry (beyond Latin-1, or with CR/LF) is no token: the request goes on unauthenticated.
  return token && /^[^\r\n\u0000\u0100-\uffff]+$/.test(token) ? `Bearer ${token}` : undefined;
}

function info(): Record<string, unknown> {
  return { build: { name: 'orchestrator', version: '1.0.0' }, projectVersion: '1.0.0', projectRevision: 'unknown', projectTimestamp: 'unknown' };
}

/** The INDIGO-compatible surface: its own error shape, its own paging, the v1 verbs underneath. */
export function legacyApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use('*', requestId({ limitLength: 128 }));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  const limit = bodyLimit({
    maxSize: deps.settings.bodyLimitBytes,
    onError: () => legacyErrorResponse(413, `Request body exceeds ${deps.settings.bodyLimitBytes} bytes`),
  });
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next)));
  // Postgres text cannot hold U+0000: a filter carrying one is refused here rather than failing its query.
  app.use('*', async (c, next) => {
    const bad = [...new URL(c.req.url).searchParams].find(([k, v]) => k.includes('\u0000') || v.includes('\u0000'));
    if (bad) return legacyErrorResponse(400, `Query parameter ${bad[0].replace(/\u0000/g, '')} must not contain NUL characters`);
    await next();
  });
  app.get('/info', () => legacyJson(info()));
  const auth = authenticate();
  app.use('/configuration', auth);
  app.use('/deployments', auth);
  app.use('/deployments/*', auth);
  app.get('/configuration', (c) => {
    const { settings } = c.get('deps');
    return legacyJson({ ...(settings.imUrl ? { im_url: settings.imUrl } : {}), ...(settings.vaultUrl ? { vault_url: settings.vaultUrl } : {}) });
  });
  app.route('/', legacyDeploymentsRoutes);
  app.route('/', legacyResourcesRoutes);
  app.notFound((c) => {
    const allowed = ROUTES.find(([re]) => re.test(c.req.path))?.[1];
    if (allowed) return legacyErrorResponse(405, `Request method '${c.req.method}' not supported`, { Allow: allowed.join(', ') });
    return legacyErrorResponse(404, `No handler found for ${c.req.method} ${c.req.path}`);
  });
  app.onError((err, c) => renderLegacyError(err, c));
  return app;
}

/**
 * Hands `/info`, `/configuration` and `/deployments…` (any run of slashes, trailing one or not) to the
 * legacy app; everything else goes on to the v1 routes.
 */
export function legacyRoutes(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const legacy = legacyApp(deps);
  return async (c, next) => {
    const url = new URL(c.req.url);
    const path = normalizeLegacyPath(url.pathname);
    if (!LEGACY_PATH.test(path)) return next();
    url.pathname = path;
    const headers = new Headers(c.req.raw.headers);
    const authorization = legacyAuthorization(headers, url);
    if (authorization) headers.set('authorization', authorization);
    const requestIdValue = c.get('requestId');
    if (requestIdValue) headers.set('x-request-id', requestIdValue);
    const method = c.req.method;
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const request = new Request(url, { method, headers, body: hasBody ? c.req.raw.body : null, ...(hasBody ? { duplex: 'half' } : {}) } as RequestInit);
    return legacy.fetch(request, c.env);
  };
}
