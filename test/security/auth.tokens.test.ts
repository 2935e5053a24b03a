import { sql } from 'drizzle-orm';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let stranger: TestIssuer;

beforeAll(async () => {
  t = await createTestApp({ OIDC_AUDIENCE: 'orchestrator' });
  stranger = await startTestIssuer();
});
afterAll(async () => {
  await stranger?.close();
  await t?.close();
});

async function expect401(authorization: string | undefined, detail: RegExp) {
  const res = await t.call('GET', '/api/v1/users', { headers: authorization === undefined ? {} : { authorization } });
  expect(res.status).toBe(401);
  expect(res.body.status).toBe(401);
  expect(res.body.detail).toMatch(detail);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
}

describe('bearer tokens', () => {
  it('accepts a valid token, also with a lowercase "bearer" scheme', async () => {
    const token = await t.token('alice');
    expect((await t.call('GET', '/api/v1/users', { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/users', { headers: { authorization: `BEARER ${token}` } })).status).toBe(200);
  });

  it('rejects a missing header and other schemes', async () => {
    await expect401(undefined, /missing Authorization header/);
    await expect401('Basic YWxpY2U6c2VjcmV0', /Bearer scheme/);
  });

  it('rejects an expired token', async () => {
    await expect401(`Bearer ${await t.token('alice', { expiresInSec: -120 })}`, /expired/);
  });

  it('rejects a token that is not yet valid', async () => {
    await expect401(`Bearer ${await t.token('alice', { notBeforeSec: 600 })}`, /not yet valid/);
  });

  it('rejects a token whose issuer is not trusted', async () => {
    await expect401(`Bearer ${await stranger.mint('alice')}`, /is not trusted/);
  });

  it('rejects a token claiming a trusted issuer but signed by another issuer', async () => {
    const forged = await stranger.mint('alice', { claims: { iss: t.issuer.issuer }, kid: t.issuer.kid });
    await expect401(`Bearer ${forged}`, /signature is invalid/);
  });

  it('rejects a wrong audience', async () => {
    await expect401(`Bearer ${await t.token('alice', { claims: { aud: 'someone-else' } })}`, /audience/);
  });

  it('rejects alg "none"', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: t.issuer.issuer, sub: 'mallory', aud: 'orchestrator', exp: now + 600 })}.`;
    await expect401(`Bearer ${unsigned}`, /alg "none"/);
  });

  it('rejects HS256 signed with the issuer public key as the secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(t.issuer.publicJwk));
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ groups: ['admins'] })
      .setProtectedHeader({ alg: 'HS256', kid: t.issuer.kid })
      .setIssuer(t.issuer.issuer)
      .setSubject('mallory')
      .setAudience('orchestrator')
      .setExpirationTime(now + 600)
      .sign(secret);
    await expect401(`Bearer ${token}`, /algorithm HS256 is not allowed/);
  });

  it('rejects an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expect401(`Bearer ${await t.token('alice', { kid: 'no-such-key', key: privateKey })}`, /unknown kid/);
  });

  it('rejects garbage', async () => {
    await expect401('Bearer not-a-jwt', /malformed/);
    await expect401('Bearer aaaa.bbbb.cccc', /malformed/);
  });

  it('rejects a token without an expiry', async () => {
    await expect401(`Bearer ${await t.token('alice', { claims: { exp: undefined } })}`, /no expiry/);
  });

  it('rejects a token without a subject', async () => {
    await expect401(`Bearer ${await t.token('', { claims: { sub: undefined } })}`, /no subject/);
  });

  it('changes nothing when a token is rejected', async () => {
    const before = await t.database.db.execute(sql`select count(*)::int as n from users`);
    await t.call('POST', '/api/v1/users', { token: await t.token('ghost', { expiresInSec: -120 }) });
    const after = await t.database.db.execute(sql`select count(*)::int as n from users`);
    expect(after).toEqual(before);
  });

  it('fetches the discovery document and the JWKS once for many requests', async () => {
    const before = { d: t.issuer.discoveryRequests(), j: t.issuer.jwksRequests() };
    const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => t.token(`many-${i}`)));
    for (let round = 0; round < 4; round++) {
      const statuses = await Promise.all(tokens.map((token) => t.call('GET', '/api/v1/users', { token }).then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    expect(t.issuer.discoveryRequests() - before.d).toBeLessThanOrEqual(1);
    expect(t.issuer.jwksRequests() - before.j).toBeLessThanOrEqual(1);
  });

  it('makes members of ADMIN_GROUPS admins, also with WLCG-style leading slashes', async () => {
    const admin = await t.token('root', { groups: ['/admins'] });
    const userToken = await t.token('bob');
    await t.call('POST', '/api/v1/users', { token: userToken });
    const list = await t.call('GET', '/api/v1/users?size=100', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.data.map((u: { sub: string }) => u.sub)).toContain('bob');
  });
});
