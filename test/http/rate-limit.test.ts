import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducerConnection } from '../../src/node/redis.js';
import { createRedisRateLimiter } from '../../src/node/rate-limiter.js';
import { createTestApp, type CallResult, type TestApp } from '../helpers/test-app.js';

const apps: TestApp[] = [];
async function app(env: Record<string, string>, overrides: Parameters<typeof createTestApp>[1] = {}): Promise<TestApp> {
  const t = await createTestApp(env, overrides);
  apps.push(t);
  return t;
}
afterAll(async () => {
  await Promise.all(apps.map((t) => t.close()));
});

const budgetOf = (res: CallResult) => ({
  limit: res.headers.get('x-ratelimit-limit'),
  remaining: res.headers.get('x-ratelimit-remaining'),
  reset: res.headers.get('x-ratelimit-reset'),
});

describe('rate-limit headers', () => {
  let t: TestApp;
  let alice: string;
  beforeAll(async () => {
    t = await app({ RATE_LIMIT_READS_PER_MIN: '50', RATE_LIMIT_WRITES_PER_MIN: '20', RATE_LIMIT_ANON_PER_MIN: '30' });
    alice = await t.token('rl-headers-alice');
  });

  it('come with 200, 401, 404 and 422 answers, from the budget the caller spends', async () => {
    const ok = await t.call('GET', '/api/v1/templates', { token: alice });
    expect(ok.status).toBe(200);
    expect(budgetOf(ok)).toEqual({ limit: '50', remaining: '49', reset: expect.stringMatching(/^\d+$/) });
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(60);

    const missing = await t.call('GET', `/api/v1/templates/${crypto.randomUUID()}`, { token: alice });
    expect(missing.status).toBe(404);
    expect(budgetOf(missing)).toMatchObject({ limit: '50', remaining: '48' });

    const invalid = await t.call('GET', '/api/v1/templates?size=1000', { token: alice });
    expect(invalid.status).toBe(422);
    expect(budgetOf(invalid)).toMatchObject({ limit: '50', remaining: '47' });

    const write = await t.call('POST', '/api/v1/templates', { token: alice, json: { content: '' } });
    expect(write.status).toBe(422);
    expect(budgetOf(write)).toMatchObject({ limit: '20', remaining: '19' });

    const anonymous = await t.call('GET', '/api/v1/templates');
    expect(anonymous.status).toBe(401);
    expect(budgetOf(anonymous)).toMatchObject({ limit: '30', remaining: '29' });
    const forged = await t.call('GET', '/api/v1/templates', { token: `${alice.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(budgetOf(forged)).toMatchObject({ limit: '30', remaining: '28' });
    const noRoute = await t.call('GET', '/api/v1/nope');
    expect(noRoute.status).toBe(404);
    expect(budgetOf(noRoute)).toMatchObject({ limit: '30', remaining: '27' });
  });

  it('are not sent by the health probe, which is never limited', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.call('GET', '/api/v1/health');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });
});

describe('over the budget', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await app({ RATE_LIMIT_READS_PER_MIN: '3', RATE_LIMIT_WRITES_PER_MIN: '2', RATE_LIMIT_ANON_PER_MIN: '2' });
  });

  it('answers 429 in the v1 shape with a Retry-After matching the window left in Redis', async () => {
    const token = await t.token('rl-over-alice');
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.call('GET', '/api/v1/templates', { token });
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await t.call('GET', '/api/v1/templates', { token });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ status: 429, detail: expect.stringMatching(/at most 3 reads per minute; retry in \d+ s/) });
    expect(budgetOf(over)).toMatchObject({ limit: '3', remaining: '0' });
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBe(Number(over.headers.get('x-ratelimit-reset')));
    const pttl = await t.redis.pttl(`${t.config.queuePrefix}:ratelimit:reads:user:${t.issuer.issuer} rl-over-alice`);
    expect(pttl).toBeGreaterThan(0);
    expect(Math.abs(retryAfter - Math.ceil(pttl / 1000))).toBeLessThanOrEqual(1);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('keeps the budgets of other users and of writes apart', async () => {
    const token = await t.token('rl-split-bob');
    for (let i = 0; i < 2; i++) expect((await t.call('POST', '/api/v1/templates', { token, json: {} })).status).toBe(422);
    const over = await t.call('POST', '/api/v1/templates', { token, json: {} });
    expect(over.status).toBe(429);
    expect(budgetOf(over)).toMatchObject({ limit: '2', remaining: '0' });
    expect((await t.call('DELETE', `/api/v1/templates/${crypto.randomUUID()}`, { token })).status).toBe(429);
    const read = await t.call('GET', '/api/v1/templates', { token });
    expect(read.status).toBe(200);
    expect(budgetOf(read)).toMatchObject({ limit: '3', remaining: '2' });
    const carol = await t.call('POST', '/api/v1/templates', { token: await t.token('rl-split-carol'), json: {} });
    expect(carol.status).toBe(422);
  });

  it('limits callers without a valid token per client address', async () => {
    expect((await t.call('GET', '/api/v1/configuration')).status).toBe(200);
    expect((await t.call('GET', '/api/v1/templates', { token: 'not-a-jwt' })).status).toBe(401);
    const over = await t.call('GET', '/api/v1/configuration');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await t.call('GET', '/api/v1/health')).status).toBe(200);
  });
});

describe('settings', () => {
  it('exempts admins when asked to, and turns a budget off with 0', async () => {
    const t = await app({ RATE_LIMIT_READS_PER_MIN: '0', RATE_LIMIT_WRITES_PER_MIN: '1', RATE_LIMIT_ADMINS_EXEMPT: '1' });
    const user = await t.token('rl-settings-user');
    for (let i = 0; i < 3; i++) {
      const read = await t.call('GET', '/api/v1/templates', { token: user });
      expect(read.status).toBe(200);
      expect(read.headers.get('x-ratelimit-limit')).toBeNull();
    }
    expect((await t.call('POST', '/api/v1/templates', { token: user, json: {} })).status).toBe(422);
    expect((await t.call('POST', '/api/v1/templates', { token: user, json: {} })).status).toBe(429);
    const admin = await t.token('rl-settings-root', { groups: ['admins'] });
    for (let i = 0; i < 3; i++) {
      const res = await t.call('POST', '/api/v1/templates', { token: admin, json: {} });
      expect(res.status).toBe(422);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });
});

describe('two API replicas on one Redis', () => {
  it('spend one budget per user and per address', async () => {
    const prefix = `rl-shared-${crypto.randomUUID().slice(0, 8)}`;
    const env = { QUEUE_PREFIX: prefix, RATE_LIMIT_READS_PER_MIN: '4', RATE_LIMIT_ANON_PER_MIN: '3' };
    const one = await app(env);
    const two = await app({ ...env, OIDC_ISSUERS: one.issuer.issuer });
    const token = await one.token('rl-shared-dave');
    const seen: Array<[number, string | null]> = [];
    for (const replica of [one, two, one, two, one, two]) {
      const res = await replica.call('GET', '/api/v1/templates', { token });
      seen.push([res.status, res.headers.get('x-ratelimit-remaining')]);
    }
    expect(seen).toEqual([[200, '3'], [200, '2'], [200, '1'], [200, '0'], [429, '0'], [429, '0']]);
    const anonymous = [];
    for (const replica of [two, one, two, one]) anonymous.push((await replica.call('GET', '/api/v1/configuration')).status);
    expect(anonymous).toEqual([200, 200, 200, 429]);
  });
});

describe('when Redis cannot be reached', () => {
  const dead = createProducerConnection('redis://127.0.0.1:1');
  dead.on('error', () => {});
  afterAll(() => dead.disconnect());

  it('serves every request without limits and warns once', async () => {
    const limiter = createRedisRateLimiter(dead, 'rl-dead', { readsPerMin: 1, writesPerMin: 1, anonymousPerMin: 1, adminsExempt: false, trustProxy: false });
    const t = await app({}, { rateLimiter: limiter });
    const token = await t.token('rl-dead-erin');
    for (let i = 0; i < 3; i++) {
      const res = await t.call('GET', '/api/v1/templates', { token });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
      expect((await t.call('GET', '/api/v1/configuration')).status).toBe(200);
    }
    const warnings = t.logger.entries.filter((e) => e.level === 'warn' && /rate limiter store unreachable/.test(e.msg ?? ''));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0]!.obj)).toMatch(/not ready/);
  });
});
