import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.token('hostile-admin', { groups: ['admins'] });
});
afterAll(async () => {
  await t?.close();
});

const userCount = async () => (await t.database.db.execute(sql`select count(*)::int as n from users`)) as unknown as Array<{ n: number }>;

describe('hostile input', () => {
  it('treats SQL in filters as data', async () => {
    const res = await t.call('GET', `/api/v1/users?name=${encodeURIComponent("x' or '1'='1")}&email=${encodeURIComponent("'; drop table users; --")}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect((await userCount())[0].n).toBeGreaterThan(0);
  });

  it('rejects overlong filter values with 422', async () => {
    const res = await t.call('GET', `/api/v1/users?name=${'a'.repeat(2000)}`, { token: admin });
    expect(res.status).toBe(422);
  });

  it('answers 401 to a large garbage token and 431 to one past the header limit', async () => {
    const large = await t.call('GET', '/api/v1/users', { headers: { authorization: `Bearer ${'A'.repeat(4_000)}.${'B'.repeat(4_000)}.C` } });
    expect(large.status).toBe(401);
    const huge = await t.call('GET', '/api/v1/users', { headers: { authorization: `Bearer ${'A'.repeat(12_000)}.${'B'.repeat(12_000)}.C` } });
    expect(huge.status).toBe(431);
    expect((await t.call('GET', '/api/v1/health')).status).toBe(200);
  });

  it('answers 401 to a token whose header or payload is not JSON', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const token of [`${b64('{not json')}.${b64('{}')}.sig`, `${b64('{"alg":"ES256"}')}.${b64('[1,2')}.sig`, `${b64('{"alg":"ES256"}')}.${b64('"str"')}.sig`]) {
      expect((await t.call('GET', '/api/v1/users', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    }
  });

  it('answers 422 to a non-UUID id with path tricks', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%00', "1'%20or%201=1"]) {
      const res = await t.call('GET', `/api/v1/users/${id}`, { token: admin });
      expect([404, 422]).toContain(res.status);
      expect(res.body.status).toBe(res.status);
    }
  });

  it('answers a JSON body sent with the wrong content type with 4xx and changes nothing', async () => {
    const token = await t.token('hostile-ct');
    const reg = await t.call('POST', '/api/v1/users', { token });
    const res = await t.call('PATCH', `/api/v1/users/${reg.body.id}`, {
      token,
      body: JSON.stringify({ picture: 'https://example.org/p.png' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await t.call('GET', `/api/v1/users/${reg.body.id}`, { token })).body.picture).toBeNull();
  });

  it('keeps unicode and control characters in claims intact and harmless', async () => {
    const token = await t.token('unicode', { claims: { name: 'Zoë 🚀 <script>alert(1)</script>' } });
    const reg = await t.call('POST', '/api/v1/users', { token });
    const res = await t.call('GET', `/api/v1/users/${reg.body.id}`, { token });
    expect(res.body.name).toBe('Zoë 🚀 <script>alert(1)</script>');
    expect(res.headers.get('content-type')).toContain('application/json');
  });
});
