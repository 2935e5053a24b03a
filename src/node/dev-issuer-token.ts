import type { Env, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { DevIssuer } from './dev-issuer.js';

/** Where createApp serves the dev issuer (src/app.ts mounts src/routes/dev-issuer.ts there). */
const BASE = '/dev-issuer';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * The dev issuer's token endpoint: POST `${issuer}/token` with the refresh_token grant (RFC 6749 §6),
 * plus `token_endpoint` added to the discovery document the dev issuer routes serve. Any client_id
 * is accepted and no client secret is checked: the dev issuer has no client registry (local use only).
 * Registered through createApp's `mount` hook, which runs before the dev issuer routes.
 */
export function mountDevIssuerTokenEndpoint<E extends Env>(app: Hono<E>, dev: DevIssuer): void {
  app.use(`${BASE}/.well-known/openid-configuration`, async (c, next) => {
    await next();
    if (c.req.method !== 'GET' || c.res.status !== 200) return;
    const doc = (await c.res.clone().json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!doc || typeof doc !== 'object') return;
    const decorated = { ...doc, token_endpoint: dev.tokenEndpoint, grant_types_supported: ['refresh_token'] };
    c.res = undefined;
    c.res = new Response(JSON.stringify(decorated), { status: 200, headers: { 'content-type': 'application/json' } });
  });

  app.post(
    `${BASE}/token`,
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: 'invalid_request', error_description: 'request body too large' }, 413) }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
        return c.json({ error: 'invalid_request', error_description: 'expected an application/x-www-form-urlencoded body' }, 400, NO_STORE);
      }
      const form = new URLSearchParams(await c.req.text());
      if (form.get('grant_type') !== 'refresh_token') {
        return c.json({ error: 'unsupported_grant_type', error_description: 'only the refresh_token grant is served' }, 400, NO_STORE);
      }
      const refreshToken = form.get('refresh_token');
      if (!refreshToken) return c.json({ error: 'invalid_request', error_description: 'refresh_token is missing' }, 400, NO_STORE);
      const answer = await dev.refresh(refreshToken);
      if (!answer.ok) return c.json({ error: answer.error, error_description: answer.description }, 400, NO_STORE);
      return c.json({ access_token: answer.accessToken, token_type: 'Bearer', expires_in: answer.expiresIn }, 200, NO_STORE);
    },
  );
}
