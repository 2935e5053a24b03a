import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let admin: string;
const TOTAL = 25;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.token('pager-admin', { groups: ['admins'] });
  // 24 users loaded in SQL with spaced creation times, plus the admin registered by the first call.
  await t.database.db.execute(sql`
    insert into users (issuer, sub, email, created_at)
    select 'https://seed.example.org', 'seed-' || lpad(g::text, 2, '0'), 'seed' || g || '@example.org', now() - (g || ' minutes')::interval
    from generate_series(1, ${TOTAL - 1}) g`);
  await t.call('POST', '/api/v1/users', { token: admin });
});
afterAll(async () => {
  await t?.close();
});

const list = (query: string) => t.call('GET', `/api/v1/users${query}`, { token: admin });

describe('pagination of GET /api/v1/users', () => {
  it('defaults to page 1 of size 10 with absolute links', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(10);
    expect(res.body.page).toEqual({ size: 10, total_elements: TOTAL, total_pages: 3, number: 1 });
    expect(res.body.links.first).toBe(`${t.url}/api/v1/users?page=1&size=10`);
    expect(res.body.links.prev).toBeNull();
    expect(res.body.links.next).toBe(`${t.url}/api/v1/users?page=2&size=10`);
    expect(res.body.links.last).toBe(`${t.url}/api/v1/users?page=3&size=10`);
  });

  it('gives a short last page with no next link', async () => {
    const res = await list('?page=3');
    expect(res.body.data).toHaveLength(5);
    expect(res.body.links.next).toBeNull();
    expect(res.body.links.prev).toContain('page=2');
  });

  it('answers an empty page past the end', async () => {
    const res = await list('?page=9');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.page.number).toBe(9);
    expect(res.body.links.next).toBeNull();
    expect(res.body.links.prev).toContain('page=3');
  });

  it('answers an empty result with one (empty) page of links', async () => {
    const res = await list('?sub=nobody');
    expect(res.body.data).toEqual([]);
    expect(res.body.page).toEqual({ size: 10, total_elements: 0, total_pages: 0, number: 1 });
    expect(res.body.links.prev).toBeNull();
    expect(res.body.links.next).toBeNull();
    expect(res.body.links.last).toContain('page=1');
  });

  it('keeps the filters and sort in the links', async () => {
    const res = await list('?issuer=https%3A%2F%2Fseed.example.org&size=5&sort=sub');
    expect(res.body.page.total_elements).toBe(TOTAL - 1);
    const next = new URL(res.body.links.next);
    expect(next.searchParams.get('issuer')).toBe('https://seed.example.org');
    expect(next.searchParams.get('sort')).toBe('sub');
    expect(next.searchParams.get('page')).toBe('2');
  });

  it('sorts ascending and descending by a whitelisted field, stably across pages', async () => {
    const asc = await list('?issuer=https%3A%2F%2Fseed.example.org&sort=sub&size=100');
    const subs = asc.body.data.map((u: { sub: string }) => u.sub);
    expect(subs).toEqual([...subs].sort());
    const desc = await list('?issuer=https%3A%2F%2Fseed.example.org&sort=-sub&size=100');
    expect(desc.body.data.map((u: { sub: string }) => u.sub)).toEqual([...subs].reverse());
    const pages = await Promise.all([1, 2, 3, 4, 5].map((p) => list(`?issuer=https%3A%2F%2Fseed.example.org&sort=-created_at&size=5&page=${p}`)));
    const walked = pages.flatMap((p) => p.body.data.map((u: { sub: string }) => u.sub));
    expect(new Set(walked).size).toBe(TOTAL - 1);
  });

  it('accepts size 1 and 100, rejects 0, 101 and non-numbers with 422', async () => {
    expect((await list('?size=1')).body.data).toHaveLength(1);
    expect((await list('?size=100')).body.data).toHaveLength(TOTAL);
    for (const q of ['?size=0', '?size=101', '?size=ten', '?page=0', '?page=-1', '?page=1.5']) {
      const res = await list(q);
      expect(res.status, q).toBe(422);
      expect(res.body.status).toBe(422);
    }
  });

  it('answers 422 to an unknown filter instead of ignoring it', async () => {
    const res = await list('?emial=nobody');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ loc: ['query', 'emial'], msg: expect.stringMatching(/^unknown query parameter; known ones: page, size, sort, sub, /) }]);
  });

  it('answers 422 to a NUL character in a filter', async () => {
    const res = await list('?name=a%00b');
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toEqual({ loc: ['query', 'name'], msg: 'must not contain NUL characters' });
  });

  it('rejects an unknown sort field with 422 naming the allowed ones', async () => {
    const res = await list('?sort=refresh_token');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].loc).toEqual(['query', 'sort']);
    expect(res.body.errors[0].msg).toContain('created_at');
  });
});
