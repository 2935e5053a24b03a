import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, type SecretBox } from '../../src/services/secret-box.js';
import { createTokenRefresher, type FreshAccessTokenResult } from '../../src/services/tokens/fresh-access-token.js';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';

const CLIENT_ID = 'orchestrator-worker';
const CLIENT_SECRET = 'p@ss word:with+odd/chars';

let secrets: SecretBox;
let issuer: TestIssuer;
let confidential: TestIssuer;
const servers: Server[] = [];

beforeAll(async () => {
  secrets = await createSecretBox('unit-test-secret-key-0123456789abcdef');
  issuer = await startTestIssuer({ clientId: CLIENT_ID });
  confidential = await startTestIssuer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, rotateRefreshTokens: true });
});
afterAll(async () => {
  await issuer?.close();
  await confidential?.close();
  await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

/** A throwaway HTTP server for answers the test issuer never gives (bad JSON, silence). */
async function serve(handler: (url: string) => RequestListener): Promise<string> {
  let url = '';
  const server = createServer((req, res) => handler(url)(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return url;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((r) => server.close(() => r()));
  return url;
}

function failureOf(result: FreshAccessTokenResult, ...secretsNotShown: string[]): string {
  if (result.ok) throw new Error('expected ok:false');
  for (const s of secretsNotShown) expect(result.reason).not.toContain(s);
  return result.reason;
}

describe('freshAccessToken', () => {
  it('returns a token valid for longer than minValiditySecs unchanged, without any HTTP call', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const token = await issuer.mint('alice', { expiresInSec: 3600 });
    const before = { discovery: issuer.discoveryRequests(), token: issuer.tokenRequests().length };
    const sealed = await secrets.seal(issuer.mintRefreshToken('alice'));
    expect(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: sealed, issuer: issuer.issuer })).toEqual({
      ok: true,
      accessToken: token,
      refreshed: false,
    });
    expect(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: null, issuer: issuer.issuer })).toMatchObject({ ok: true, refreshed: false });
    expect({ discovery: issuer.discoveryRequests(), token: issuer.tokenRequests().length }).toEqual(before);
  });

  it('refreshes a token close to expiry through the discovered token endpoint: a new token with a later exp', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const old = await issuer.mint('alice', { expiresInSec: 120, claims: { groups: ['users', 'ops'] } });
    const refreshToken = issuer.mintRefreshToken('alice', { groups: ['users', 'ops'] });
    const result = await refresher.freshAccessToken({ accessToken: old, refreshTokenSealed: await secrets.seal(refreshToken), issuer: issuer.issuer });
    if (!result.ok) throw new Error(result.reason);
    expect(result.refreshed).toBe(true);
    expect(result.newRefreshTokenSealed).toBeUndefined();
    expect(result.accessToken).not.toBe(old);
    const fresh = decodeJwt(result.accessToken);
    expect(fresh.exp!).toBeGreaterThan(decodeJwt(old).exp!);
    expect(fresh).toMatchObject({ sub: 'alice', iss: issuer.issuer, groups: ['users', 'ops'] });

    const sent = issuer.tokenRequests().at(-1)!;
    expect(sent.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(sent.form).toEqual({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
    expect(sent.authorization).toBeUndefined();
  });

  it('refreshes an already expired token, and honours minValiditySecs and the clock', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets, minValiditySecs: 30 });
    const sealed = await secrets.seal(issuer.mintRefreshToken('bob'));
    const expired = await issuer.mint('bob', { expiresInSec: -60 });
    expect(await refresher.freshAccessToken({ accessToken: expired, refreshTokenSealed: sealed, issuer: issuer.issuer })).toMatchObject({ ok: true, refreshed: true });
    const inTwoMinutes = await issuer.mint('bob', { expiresInSec: 120 });
    expect(await refresher.freshAccessToken({ accessToken: inTwoMinutes, refreshTokenSealed: sealed, issuer: issuer.issuer })).toMatchObject({ refreshed: false });
    const later = createTokenRefresher({ clientId: CLIENT_ID, secrets, minValiditySecs: 30, now: () => Date.now() + 100_000 });
    expect(await later.freshAccessToken({ accessToken: inTwoMinutes, refreshTokenSealed: sealed, issuer: issuer.issuer })).toMatchObject({ refreshed: true });
  });

  it('discovers each issuer once, also with a trailing slash on the issuer', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const sealed = await secrets.seal(issuer.mintRefreshToken('carol'));
    const before = issuer.discoveryRequests();
    for (const iss of [issuer.issuer, `${issuer.issuer}/`, issuer.issuer]) {
      const token = await issuer.mint('carol', { expiresInSec: 10 });
      expect(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: sealed, issuer: iss })).toMatchObject({ ok: true, refreshed: true });
    }
    expect(issuer.discoveryRequests() - before).toBe(1);
  });

  it('authenticates with HTTP Basic when a client secret is set and hands back a rotated refresh token sealed', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, secrets });
    const first = confidential.mintRefreshToken('dave');
    const old = await confidential.mint('dave', { expiresInSec: 5 });
    const result = await refresher.freshAccessToken({ accessToken: old, refreshTokenSealed: await secrets.seal(first), issuer: confidential.issuer });
    if (!result.ok) throw new Error(result.reason);
    expect(result.refreshed).toBe(true);
    const sent = confidential.tokenRequests().at(-1)!;
    expect(sent.authorization).toMatch(/^Basic /);
    expect(sent.form.client_id).toBe(CLIENT_ID);
    expect(result.newRefreshTokenSealed).toBeDefined();
    const rotated = await secrets.open(result.newRefreshTokenSealed!);
    expect(rotated).not.toBe(first);
    expect(JSON.stringify(result)).not.toContain(rotated);

    // The issuer revoked the old one on rotation; the new one works.
    const reused = await refresher.freshAccessToken({ accessToken: old, refreshTokenSealed: await secrets.seal(first), issuer: confidential.issuer });
    expect(failureOf(reused, first, old, CLIENT_SECRET)).toMatch(/invalid_grant/);
    const next = await refresher.freshAccessToken({ accessToken: old, refreshTokenSealed: result.newRefreshTokenSealed!, issuer: confidential.issuer });
    expect(next).toMatchObject({ ok: true, refreshed: true });
  });

  it('sends one refresh for concurrent calls with the same stored refresh token (rotating issuers reject reuse)', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, secrets });
    const sealed = await secrets.seal(confidential.mintRefreshToken('erin'));
    const old = await confidential.mint('erin', { expiresInSec: 5 });
    const before = confidential.tokenRequests().length;
    const results = await Promise.all([1, 2, 3].map(() => refresher.freshAccessToken({ accessToken: old, refreshTokenSealed: sealed, issuer: confidential.issuer })));
    expect(results.every((r) => r.ok && r.refreshed)).toBe(true);
    expect(confidential.tokenRequests().length - before).toBe(1);
  });
});

describe('freshAccessToken failures', () => {
  it('without a stored refresh token: ok:false saying how long the token has and that none is stored', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const token = await issuer.mint('alice', { expiresInSec: 100 });
    const reason = failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: null, issuer: issuer.issuer }), token);
    expect(reason).toMatch(/^the access token expires in \d+ s and no refresh token is stored for the user$/);
    const expired = await issuer.mint('alice', { expiresInSec: -50 });
    expect(failureOf(await refresher.freshAccessToken({ accessToken: expired, refreshTokenSealed: null, issuer: issuer.issuer }))).toMatch(
      /^the access token expired \d+ s ago and no refresh token is stored/,
    );
  });

  it('without a configured client: ok:false naming OIDC_CLIENT_ID, and no HTTP call', async () => {
    const refresher = createTokenRefresher({ secrets });
    const before = issuer.tokenRequests().length;
    const rt = issuer.mintRefreshToken('alice');
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    const reason = failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: await secrets.seal(rt), issuer: issuer.issuer }), rt, token);
    expect(reason).toMatch(/no OIDC client is configured to refresh it \(set OIDC_CLIENT_ID\)/);
    expect(issuer.tokenRequests().length).toBe(before);
  });

  it('a revoked or unknown refresh token: ok:false naming the issuer and invalid_grant, never the tokens', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const rt = issuer.mintRefreshToken('alice');
    issuer.revokeRefreshToken(rt);
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    const reason = failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: await secrets.seal(rt), issuer: issuer.issuer }), rt, token);
    expect(reason).toContain(issuer.issuer);
    expect(reason).toMatch(/invalid_grant \(HTTP 400\)/);
    expect(reason).toMatch(/the user must submit a new refresh token$/);
  });

  it('a client the issuer does not know: ok:false naming invalid_client', async () => {
    const refresher = createTokenRefresher({ clientId: 'someone-else', secrets });
    const rt = issuer.mintRefreshToken('alice');
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    expect(failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: await secrets.seal(rt), issuer: issuer.issuer }), rt, token)).toMatch(
      /invalid_client \(HTTP 401\)/,
    );
    const wrongSecret = createTokenRefresher({ clientId: CLIENT_ID, clientSecret: 'not-the-secret', secrets });
    const crt = confidential.mintRefreshToken('alice');
    const reason = failureOf(
      await wrongSecret.freshAccessToken({ accessToken: token, refreshTokenSealed: await secrets.seal(crt), issuer: confidential.issuer }),
      crt,
      token,
      'not-the-secret',
    );
    expect(reason).toMatch(/invalid_client/);
  });

  it('an unreachable issuer: ok:false naming the issuer and the connection error', async () => {
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const down = await closedPortUrl();
    const rt = 'rt-secret-value-0001';
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    const reason = failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: await secrets.seal(rt), issuer: down }), rt, token);
    expect(reason).toContain(down);
    expect(reason).toMatch(/cannot fetch its discovery document: unreachable \(ECONNREFUSED\)/);
  });

  it('an issuer that does not answer: ok:false after timeoutMs', async () => {
    const silent = await serve(() => () => {});
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets, timeoutMs: 200 });
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    const started = Date.now();
    const reason = failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: await secrets.seal('rt-x-123456'), issuer: silent }), token);
    expect(reason).toMatch(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a token endpoint that answers no JSON, no token, HTML errors or echoes the token: ok:false without secrets', async () => {
    const rt = 'rt-echoed-secret-9876543210';
    const answers: Record<string, [number, string]> = {
      '/not-json': [200, 'this is not json'],
      '/no-token': [200, JSON.stringify({ token_type: 'Bearer' })],
      '/html-500': [500, '<html>oops</html>'],
      '/mac': [200, JSON.stringify({ access_token: 'x', token_type: 'MAC' })],
      '/echo': [400, JSON.stringify({ error: 'invalid_grant', error_description: `refresh token ${rt} is not known` })],
    };
    const url = await serve((base) => (req, res) => {
      const [path, kind] = (req.url ?? '').split('/').filter(Boolean);
      if (kind === '.well-known') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: `${base}/${path}`, token_endpoint: `${base}/${path}/token` }));
        return;
      }
      const [status, body] = answers[`/${path}`] ?? [404, ''];
      req.resume();
      req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
    });
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, secrets });
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    const sealed = await secrets.seal(rt);
    const reasonFor = async (path: string) =>
      failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: sealed, issuer: `${url}${path}` }), rt, token, CLIENT_SECRET);
    expect(await reasonFor('/not-json')).toMatch(/answered HTTP 200 with a body that is not a JSON object/);
    expect(await reasonFor('/no-token')).toMatch(/answered without an access_token/);
    expect(await reasonFor('/html-500')).toMatch(/its token endpoint answered HTTP 500$/);
    expect(await reasonFor('/mac')).toMatch(/token of type MAC, not Bearer/);
    const echoed = await reasonFor('/echo');
    expect(echoed).toMatch(/invalid_grant \(HTTP 400\): refresh token \*\*\*\*\* is not known — the user must submit/);
  });

  it('a discovery document without a token endpoint, or not JSON: ok:false saying so', async () => {
    const url = await serve((base) => (req, res) => {
      if (req.url === '/plain/.well-known/openid-configuration') res.writeHead(200).end(JSON.stringify({ issuer: `${base}/plain`, jwks_uri: `${base}/jwks` }));
      else if (req.url === '/garbage/.well-known/openid-configuration') res.writeHead(200).end('<html>');
      else res.writeHead(404).end();
    });
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    const sealed = await secrets.seal('rt-abcdefgh');
    const call = (path: string) => refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: sealed, issuer: `${url}${path}` });
    expect(failureOf(await call('/plain'))).toMatch(/names no http\(s\) token_endpoint/);
    expect(failureOf(await call('/garbage'))).toMatch(/discovery document is not JSON/);
    expect(failureOf(await call('/missing'))).toMatch(/discovery document answered HTTP 404/);
  });

  it('a refresh token sealed under another key: ok:false saying it cannot be decrypted', async () => {
    const other = await createSecretBox('another-secret-key-0123456789abcdefgh');
    const rt = issuer.mintRefreshToken('alice');
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const token = await issuer.mint('alice', { expiresInSec: 10 });
    const reason = failureOf(await refresher.freshAccessToken({ accessToken: token, refreshTokenSealed: await other.seal(rt), issuer: issuer.issuer }), rt, token);
    expect(reason).toMatch(/stored refresh token cannot be decrypted/);
  });

  it('rediscovers after a failed discovery instead of caching the failure', async () => {
    let up = false;
    const url = await serve((base) => (req, res) => {
      if (!up) return void res.writeHead(503).end();
      if (req.url === '/.well-known/openid-configuration') return void res.writeHead(200).end(JSON.stringify({ token_endpoint: `${base}/token` }));
      req.resume();
      req.on('end', () => res.writeHead(200).end(JSON.stringify({ access_token: 'new-access', token_type: 'bearer' })));
    });
    const refresher = createTokenRefresher({ clientId: CLIENT_ID, secrets });
    const input = { accessToken: await issuer.mint('alice', { expiresInSec: 10 }), refreshTokenSealed: await secrets.seal('rt-1234567'), issuer: url };
    expect(failureOf(await refresher.freshAccessToken(input))).toMatch(/HTTP 503/);
    up = true;
    expect(await refresher.freshAccessToken(input)).toEqual({ ok: true, accessToken: 'new-access', refreshed: true });
  });
});
