import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwksResolver } from '../../src/http/auth/jwks-resolver.js';
import { createTokenVerifier, DEFAULT_CLOCK_TOLERANCE_SEC } from '../../src/http/auth/token-verifier.js';
import { withVerifiedTokenCache } from '../../src/http/auth/verified-token-cache.js';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { singleNodeTemplate } from '../im/templates.js';

// Basic token checks (schemes, expiry, audience, alg "none", HS256 with the public key, unknown kid)
// live in auth.tokens.test.ts; this file covers attacks across issuers, headers, clocks and keys.

/** Short key-cache windows for the rotation tests, so they run in seconds instead of the 30 s / 10 min defaults. */
const COOLDOWN_MS = 300;
const KEYS_MAX_AGE_MS = 1000;
const FAILURE_RETRY_MS = 1000;

/** A trusted identity provider that is down: `/no-discovery` answers 500 to discovery, `/no-jwks` to its JWKS until healed. */
interface BrokenIdp {
  noDiscovery: string;
  noJwks: string;
  hits: { discovery: number; jwks: number };
  heal(keys: JWK[]): void;
  close(): Promise<void>;
}

async function startBrokenIdp(): Promise<BrokenIdp> {
  const hits = { discovery: 0, jwks: 0 };
  let healed: JWK[] | undefined;
  let base = '';
  const json = (res: import('node:http').ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    if (req.url === '/no-discovery/.well-known/openid-configuration') {
      hits.discovery++;
      res.writeHead(500).end();
    } else if (req.url === '/no-jwks/.well-known/openid-configuration') {
      json(res, { issuer: `${base}/no-jwks`, jwks_uri: `${base}/no-jwks/jwks` });
    } else if (req.url === '/no-jwks/jwks') {
      hits.jwks++;
      if (healed) json(res, { keys: healed });
      else res.writeHead(500).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    noDiscovery: `${base}/no-discovery`,
    noJwks: `${base}/no-jwks`,
    hits,
    heal: (keys) => void (healed = keys),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let issuerA: TestIssuer;
let issuerB: TestIssuer;
let rotating: TestIssuer;
let broken: BrokenIdp;
/** Trusts issuers A and B with the production key-cache settings; its own issuer is trusted by nobody. */
let t: TestApp;
/** Trusts `rotating` and the two faces of `broken`, with short key-cache windows. */
let fast: TestApp;

beforeAll(async () => {
  [issuerA, issuerB, rotating, broken] = await Promise.all([startTestIssuer(), startTestIssuer(), startTestIssuer(), startBrokenIdp()]);
  t = await createTestApp({ OIDC_ISSUERS: `${issuerA.issuer},${issuerB.issuer}`, OIDC_AUDIENCE: 'orchestrator' });
  const auth = withVerifiedTokenCache(
    createTokenVerifier({
      issuers: [rotating.issuer, broken.noDiscovery, broken.noJwks],
      audience: 'orchestrator',
      groupsClaim: 'groups',
      adminGroups: ['admins'],
      jwks: createJwksResolver({ refetchCooldownMs: COOLDOWN_MS, cacheMaxAgeMs: KEYS_MAX_AGE_MS, failureRetryMs: FAILURE_RETRY_MS }),
    }),
    { ttlMs: 200 },
  );
  fast = await createTestApp({ OIDC_ISSUERS: rotating.issuer, OIDC_AUDIENCE: 'orchestrator' }, { auth });
}, 60_000);
afterAll(async () => {
  await fast?.close();
  await t?.close();
  await Promise.all([issuerA, issuerB, rotating, broken].map((i) => i?.close()));
});

const usersAs = (app: TestApp, token: string) => app.call('GET', '/api/v1/users', { token });

async function expect401(res: Promise<{ status: number; body: any }>, detail: RegExp): Promise<void> {
  const { status, body } = await res;
  expect(status, JSON.stringify(body)).toBe(401);
  expect(body.detail).toMatch(detail);
}

/** Polls until `probe` answers `status`; key caches change on their own schedule, so no fixed sleeps. */
async function eventually(probe: () => Promise<{ status: number; body: any }>, status: number, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await probe();
    if (res.status === status) return res;
    if (Date.now() > until) throw new Error(`still ${res.status} (${JSON.stringify(res.body)}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('several trusted issuers', () => {
  it('makes the same sub from two issuers two users who never see each other\'s deployments', async () => {
    const fromA = await issuerA.mint('sam');
    const fromB = await issuerB.mint('sam');
    const idA = (await t.call('POST', '/api/v1/users', { token: fromA })).body.id as string;
    const idB = (await t.call('POST', '/api/v1/users', { token: fromB })).body.id as string;
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(idB);
    expect((await usersAs(t, fromA)).body.data.map((u: { id: string; issuer: string }) => [u.id, u.issuer])).toEqual([[idA, issuerA.issuer]]);
    expect((await usersAs(t, fromB)).body.data.map((u: { id: string; issuer: string }) => [u.id, u.issuer])).toEqual([[idB, issuerB.issuer]]);

    const template = await t.call('POST', '/api/v1/templates', { token: fromA, json: { content: singleNodeTemplate(), name: 'sam-a' } });
    expect(template.status).toBe(201);
    const created = await t.call('POST', '/api/v1/deployments', { token: fromA, json: { template_id: template.body.id } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const deploymentId = created.body.id as string;

    expect((await t.call('GET', `/api/v1/deployments/${deploymentId}`, { token: fromA })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/deployments/${deploymentId}`, { token: fromB })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/deployments/${deploymentId}`, { token: fromB })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/deployments?owned_by=me', { token: fromB })).body.data).toEqual([]);
    expect((await t.call('GET', `/api/v1/deployments?owned_by=${idA}`, { token: fromB })).status).not.toBe(200);
    expect((await t.call('GET', '/api/v1/deployments?owned_by=me', { token: fromA })).body.data.map((d: { id: string }) => d.id)).toEqual([deploymentId]);
  });

  it('refuses an untrusted issuer whose keys are reachable without ever contacting it', async () => {
    await expect401(usersAs(t, await t.issuer.mint('eve')), /is not trusted/);
    expect(t.issuer.discoveryRequests()).toBe(0);
    expect(t.issuer.jwksRequests()).toBe(0);
  });
});

describe('header parameters that point at keys', () => {
  /** `t.issuer` plays the attacker: a live issuer with its own key and JWKS, trusted by nobody. */
  const attackerHeaders = () => ({ jku: `${t.issuer.issuer}/jwks`, x5u: `${t.issuer.issuer}/x5u.pem`, jwk: t.issuer.publicJwk });

  it('refuses a token signed by the attacker whose header carries or points to the attacker\'s key', async () => {
    const forgedWithTrustedKid = await t.issuer.mint('mallory', { claims: { iss: issuerA.issuer }, kid: issuerA.kid, header: attackerHeaders() });
    await expect401(usersAs(t, forgedWithTrustedKid), /signature is invalid/);
    const forgedWithOwnKid = await t.issuer.mint('mallory', { claims: { iss: issuerA.issuer }, header: attackerHeaders() });
    await expect401(usersAs(t, forgedWithOwnKid), /unknown kid/);
    expect(t.issuer.jwksRequests()).toBe(0);
    expect(t.issuer.discoveryRequests()).toBe(0);
  });

  it('judges a validly signed token carrying jku, x5u and jwk by the trusted keys alone', async () => {
    const token = await issuerA.mint('honest', { header: attackerHeaders() });
    const res = await usersAs(t, token);
    expect(res.status).toBe(200);
    expect(res.body.data.map((u: { sub: string }) => u.sub)).toEqual(['honest']);
    expect(t.issuer.jwksRequests()).toBe(0);
  });

  it('refuses a token with a critical header extension it does not understand', async () => {
    const token = await issuerA.mint('carol', { header: { crit: ['x-binding'], 'x-binding': 'tls' } });
    await expect401(usersAs(t, token), /critical \(crit\)/);
  });
});

describe('oversized tokens', () => {
  it('answers a 64 KiB token with a clear 4xx and keeps serving', async () => {
    const huge = `Bearer ${'a'.repeat(32 * 1024)}.${'b'.repeat(32 * 1024)}.c`;
    const res = await fetch(`${t.url}/api/v1/users`, { headers: { authorization: huge } });
    expect([401, 431]).toContain(res.status);
    await res.arrayBuffer();
    // Just under Node's header limit the token reaches the verifier, which refuses it as malformed.
    await expect401(usersAs(t, `${'a'.repeat(6000)}.${'b'.repeat(6000)}.c`), /malformed/);
    expect((await usersAs(t, await issuerA.mint('after-huge'))).status).toBe(200);
  });
});

describe(`clock skew (tolerance ${DEFAULT_CLOCK_TOLERANCE_SEC} s)`, () => {
  const within = DEFAULT_CLOCK_TOLERANCE_SEC - 10;
  const beyond = DEFAULT_CLOCK_TOLERANCE_SEC + 15;
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts exp, nbf and iat off by less than the tolerance', async () => {
    expect((await usersAs(t, await issuerA.mint('skew-1', { expiresInSec: -within }))).status).toBe(200);
    expect((await usersAs(t, await issuerA.mint('skew-2', { notBeforeSec: within }))).status).toBe(200);
    expect((await usersAs(t, await issuerA.mint('skew-3', { claims: { iat: now() + within } }))).status).toBe(200);
  });

  it('refuses exp in the past, nbf or iat in the future beyond the tolerance', async () => {
    await expect401(usersAs(t, await issuerA.mint('skew-4', { expiresInSec: -beyond })), /expired/);
    await expect401(usersAs(t, await issuerA.mint('skew-5', { notBeforeSec: beyond })), /not yet valid/);
    await expect401(usersAs(t, await issuerA.mint('skew-6', { claims: { iat: now() + beyond } })), /issued-at time \(iat\) is in the future/);
  });
});

describe('signing keys', () => {
  it('bounds JWKS fetches when many tokens carry random kids (production settings)', async () => {
    expect((await usersAs(t, await issuerB.mint('warm'))).status).toBe(200);
    const before = { jwks: issuerB.jwksRequests(), discovery: issuerB.discoveryRequests() };
    const { privateKey } = await generateKeyPair('ES256');
    const tokens = await Promise.all(Array.from({ length: 60 }, () => issuerB.mint('random', { kid: crypto.randomUUID(), key: privateKey })));
    for (let i = 0; i < tokens.length; i += 20) {
      const batch = await Promise.all(tokens.slice(i, i + 20).map((token) => usersAs(t, token)));
      expect(batch.map((r) => r.status)).toEqual(batch.map(() => 401));
    }
    expect(issuerB.jwksRequests() - before.jwks).toBeLessThanOrEqual(1);
    expect(issuerB.discoveryRequests()).toBe(before.discovery);
  });

  it('picks up a rotated-in key without a restart and refuses the retired key once the cache refreshes', async () => {
    const oldKid = rotating.kid;
    const oldToken = await rotating.mint('rita');
    expect((await usersAs(fast, oldToken)).status).toBe(200);

    await rotating.rotateKey();
    const newToken = await rotating.mint('rita');
    await eventually(() => usersAs(fast, newToken), 200);

    rotating.retireKey(oldKid);
    const signedWithRetired = await rotating.mint('rita', { kid: oldKid });
    const refused = await eventually(() => usersAs(fast, signedWithRetired), 401);
    expect(refused.body.detail).toMatch(/unknown kid/);
    await expect401(usersAs(fast, oldToken), /unknown kid/);
    expect((await usersAs(fast, newToken)).status).toBe(200);
  });

  it('refetches the JWKS at most once per cooldown, however many random kids arrive', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const before = rotating.jwksRequests();
    const started = Date.now();
    for (let round = 0; round < 5; round++) {
      const tokens = await Promise.all(Array.from({ length: 20 }, () => rotating.mint('random', { kid: crypto.randomUUID(), key: privateKey })));
      const statuses = await Promise.all(tokens.map((token) => usersAs(fast, token).then((r) => r.status)));
      expect(statuses.every((s) => s === 401)).toBe(true);
    }
    const elapsed = Date.now() - started;
    // One fetch may open each cooldown window, one more each time the cached keys grow stale.
    const bound = 2 + Math.ceil(elapsed / COOLDOWN_MS) + Math.ceil(elapsed / KEYS_MAX_AGE_MS);
    expect(rotating.jwksRequests() - before).toBeLessThanOrEqual(bound);
  });
});

describe('a trusted identity provider that is down', () => {
  /** Sequential on purpose: concurrent requests share one fetch anyway; the point is that later ones do not fetch again. */
  async function refusals(tokens: string[]) {
    const started = Date.now();
    const answers = [];
    for (const token of tokens) answers.push(await usersAs(fast, token));
    return { answers, elapsed: Date.now() - started };
  }

  it('answers 503 naming it when its discovery fails, and asks it again only after a pause', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => rotating.mint(`down-${i}`, { claims: { iss: broken.noDiscovery } })));
    const { answers, elapsed } = await refusals(tokens);
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/cannot reach the identity provider http:\/\/127\.0\.0\.1:\d+\/no-discovery: HTTP 500/);
    }
    expect(broken.hits.discovery).toBeGreaterThanOrEqual(1);
    expect(broken.hits.discovery).toBeLessThanOrEqual(1 + Math.ceil(elapsed / FAILURE_RETRY_MS));
  });

  it('answers 503 when its JWKS fails, fetches it again only after a pause, and recovers once it is back', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = 'healed-key';
    const mint = (sub: string) => rotating.mint(sub, { claims: { iss: broken.noJwks }, kid, key: privateKey });
    const { answers, elapsed } = await refusals(await Promise.all(Array.from({ length: 20 }, (_, i) => mint(`nokeys-${i}`))));
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/cannot fetch the signing keys of the identity provider .*\/no-jwks/);
    }
    expect(broken.hits.jwks).toBeLessThanOrEqual(1 + Math.ceil(elapsed / FAILURE_RETRY_MS));

    broken.heal([{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }]);
    const token = await mint('back');
    await eventually(() => usersAs(fast, token), 200);
  });
});
