import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/http/auth/token-verifier.js';
import { loadOrCreateDevIssuer, readDevIssuer, type DevIssuer } from '../../src/node/dev-issuer.js';
import { mountDevIssuerTokenEndpoint } from '../../src/node/dev-issuer-token.js';
import { startHttpServer, type RunningServer } from '../../src/node/http-server.js';
import { devIssuerRoutes } from '../../src/routes/dev-issuer.js';
import { createSecretBox } from '../../src/services/secret-box.js';
import { createTokenRefresher } from '../../src/services/tokens/fresh-access-token.js';

const dataDir = mkdtempSync(join(tmpdir(), 'orch-dev-issuer-'));
let server: RunningServer;
let dev: DevIssuer;

beforeAll(async () => {
  // The issuer URL holds the port, so listen first and plug the app in once the issuer exists.
  let app: Hono | undefined;
  server = await startHttpServer((req) => app!.fetch(req), 0, '127.0.0.1');
  dev = await loadOrCreateDevIssuer(dataDir, `${server.url}/dev-issuer`);
  // The same order as npm start: createApp runs the mount hook before it routes /dev-issuer.
  app = new Hono();
  mountDevIssuerTokenEndpoint(app, dev);
  app.route('/dev-issuer', devIssuerRoutes(dev));
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function postToken(body: string, contentType = 'application/x-www-form-urlencoded') {
  return fetch(`${dev.issuer}/token`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('dev issuer token endpoint', () => {
  it('advertises the token endpoint in its discovery document, next to the JWKS', async () => {
    const doc = (await (await fetch(`${dev.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ issuer: dev.issuer, jwks_uri: `${dev.issuer}/jwks`, token_endpoint: `${dev.issuer}/token`, grant_types_supported: ['refresh_token'] });
  });

  it('mints, for a refresh token, an access token for its subject and claims that the API verifier accepts', async () => {
    const rt = await dev.mintRefreshToken({ sub: 'alice', groups: ['users', 'admins'], expiresInSec: 900 });
    const res = await postToken(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt, client_id: 'anything' }).toString());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);
    const { payload } = await jwtVerify(body.access_token, dev.keySet, { issuer: dev.issuer, audience: 'orchestrator' });
    expect(payload).toMatchObject({ sub: 'alice', groups: ['users', 'admins'], preferred_username: 'alice' });
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('accepts refresh tokens minted by another process from the same key file (npm run token)', async () => {
    const tool = await readDevIssuer(dataDir);
    const rt = await tool.mintRefreshToken({ sub: 'bob' });
    expect(await dev.refresh(rt)).toMatchObject({ ok: true, expiresIn: 3600 });
  });

  it('answers OAuth errors: invalid_grant for a bad refresh token, unsupported_grant_type, invalid_request', async () => {
    const rt = await dev.mintRefreshToken({ sub: 'alice' });
    const tampered = `${rt.slice(0, -4)}AAAA`;
    const bad = await postToken(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tampered }).toString());
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
    const expired = await dev.mintRefreshToken({ sub: 'alice' }, -10);
    expect(await dev.refresh(expired)).toMatchObject({ ok: false, error: 'invalid_grant' });
    const accessToken = await dev.mint({ sub: 'alice' });
    expect(await dev.refresh(accessToken)).toMatchObject({ ok: false, error: 'invalid_grant' });

    const code = await postToken('grant_type=authorization_code&code=x');
    expect(code.status).toBe(400);
    expect(await code.json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect(await (await postToken('grant_type=refresh_token')).json()).toMatchObject({ error: 'invalid_request' });
    expect(await (await postToken(JSON.stringify({ grant_type: 'refresh_token' }), 'application/json')).json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refresh tokens are not access tokens: the API verifier refuses them', async () => {
    const rt = await dev.mintRefreshToken({ sub: 'mallory', groups: ['admins'] });
    const verifier = createTokenVerifier({
      issuers: [dev.issuer],
      groupsClaim: 'groups',
      adminGroups: ['admins'],
      jwks: { keyFor: async () => dev.keySet },
    });
    await expect(verifier.verify(`Bearer ${rt}`)).rejects.toThrow(/HS256 is not allowed/);
  });

  it('serves the token refresher end to end over HTTP', async () => {
    const secrets = await createSecretBox('dev-issuer-test-secret-key-0123456789');
    const refresher = createTokenRefresher({ clientId: 'orchestrator', secrets });
    const old = await dev.mint({ sub: 'carol', expiresInSec: 30 });
    const sealed = await secrets.seal(await dev.mintRefreshToken({ sub: 'carol', groups: ['users'] }));
    const result = await refresher.freshAccessToken({ accessToken: old, refreshTokenSealed: sealed, issuer: dev.issuer });
    if (!result.ok) throw new Error(result.reason);
    expect(result.refreshed).toBe(true);
    expect(decodeJwt(result.accessToken).exp!).toBeGreaterThan(decodeJwt(old).exp!);
    expect(decodeJwt(result.accessToken).sub).toBe('carol');
  });
});
