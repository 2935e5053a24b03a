import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { queueBoardSessions, resolveQueueBoardAccess } from '../../src/node/queue-board.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { createMemoryLogger } from '../helpers/memory-logger.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';

const USER = 'ops';
const PASSWORD = 'correct-horse-battery';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ops = { authorization: basic(USER, PASSWORD) };
const QUEUES = ['deployments', 'log-ingest', 'maintenance', 'resource-actions'];

let t: TestApp;
let admin: string;
let user: string;
beforeAll(async () => {
  t = await createTestApp({ BULL_BOARD_USER: USER, BULL_BOARD_PASSWORD: PASSWORD }, {}, { nodeRoutes: true });
  admin = await t.token('board-admin', { groups: ['admins'] });
  user = await t.token('board-user');
});
afterAll(async () => {
  await t?.close();
});

/** The same key the app signs with (derived from SECRET_KEY), to forge cookies the way only the server could. */
const sessions = queueBoardSessions(createHmac('sha256', TEST_SECRET_KEY).update('queue-board:session').digest());
const cookieHeader = (value: string) => ({ cookie: `orch_queue_board=${value}` });

async function sessionCookie(): Promise<string> {
  const res = await t.call('POST', '/admin/queues/session', { token: admin });
  expect(res.status).toBe(201);
  const set = res.headers.get('set-cookie') ?? '';
  expect(set).toMatch(/^orch_queue_board=[^;]+/);
  expect(set).toMatch(/HttpOnly/i);
  expect(set).toMatch(/SameSite=Strict/i);
  expect(set).toMatch(/Path=\/admin\/queues/);
  expect(set).toMatch(/Max-Age=900/);
  return /^orch_queue_board=([^;]+)/.exec(set)![1];
}

async function listQueues(headers: Record<string, string>, query = '') {
  const res = await t.call('GET', `/admin/queues/api/queues${query}`, { headers });
  expect(res.status).toBe(200);
  return res.body.queues as Array<{ name: string; jobs: Array<{ id: string }>; counts: Record<string, number> }>;
}

describe('queue board at /admin/queues: who gets in', () => {
  it('answers 401 with a Basic challenge without credentials, on the page and on its API', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/queue/deployments']) {
      const res = await t.call('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Basic realm="[^"]+"/);
      expect(res.body.detail).toContain('/admin/queues/login');
    }
    const put = await t.call('PUT', '/admin/queues/api/queues/deployments/retry/failed');
    expect(put.status).toBe(401);
  });

  it('answers 401 to a wrong user or password', async () => {
    for (const authorization of [basic(USER, 'wrong-password-123'), basic('someone', PASSWORD), basic(USER, ''), 'Basic !!!']) {
      const res = await t.call('GET', '/admin/queues/api/queues', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it('answers 403 to a non-admin token, and gives it no session', async () => {
    expect((await t.call('GET', '/admin/queues', { token: user })).status).toBe(403);
    expect((await t.call('GET', '/admin/queues/api/queues', { token: user })).status).toBe(403);
    const session = await t.call('POST', '/admin/queues/session', { token: user });
    expect(session.status).toBe(403);
    expect(session.headers.get('set-cookie')).toBeNull();
    expect((await t.call('POST', '/admin/queues/session')).status).toBe(401);
  });

  it('answers 403 to a non-admin session and 401 to a tampered or expired one', async () => {
    const hour = Date.now() + 3_600_000;
    const nonAdmin = sessions.write({ sub: 'board-user', adm: false, exp: hour });
    expect((await t.call('GET', '/admin/queues/api/queues', { headers: cookieHeader(nonAdmin) })).status).toBe(403);
    const good = sessions.write({ sub: 'board-admin', adm: true, exp: hour });
    const [body, sig] = good.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ sub: 'x', adm: true, exp: hour + 1 })).toString('base64url')}.${sig}`;
    const expired = sessions.write({ sub: 'board-admin', adm: true, exp: Date.now() - 1000 });
    for (const value of [tampered, expired, `${body}.`, 'garbage']) {
      const res = await t.call('GET', '/admin/queues/api/queues', { headers: cookieHeader(value) });
      expect(res.status, value).toBe(401);
      expect(res.headers.get('set-cookie')).toMatch(/orch_queue_board=;/);
    }
  });

  it('shows the page and the four queues to the Basic credentials, an admin token and an admin session', async () => {
    const cookie = await sessionCookie();
    for (const headers of [ops, { authorization: `Bearer ${admin}` }, cookieHeader(cookie)]) {
      const page = await t.call('GET', '/admin/queues', { headers });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.body).toContain('<base href="/admin/queues/"');
      expect((await listQueues(headers)).map((q) => q.name).sort()).toEqual(QUEUES);
    }
    // The page's assets pass the same gate.
    const page = await t.call('GET', '/admin/queues', { headers: ops });
    const asset = /src="(static\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(asset).toBeTruthy();
    expect((await t.call('GET', `/admin/queues/${asset}`)).status).toBe(401);
    expect((await t.call('GET', `/admin/queues/${asset}`, { headers: ops })).status).toBe(200);
  });

  it('serves a sign-in page for token holders, and ends a session on DELETE', async () => {
    const login = await t.call('GET', '/admin/queues/login');
    expect(login.status).toBe(200);
    expect(login.body).toContain('/admin/queues/session');
    expect(login.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    const out = await t.call('DELETE', '/admin/queues/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/orch_queue_board=;.*Max-Age=0/i);
  });

  it('refuses changes asked from another site even with valid credentials', async () => {
    const res = await t.call('PUT', '/admin/queues/api/queues/deployments/pause', { headers: { ...ops, 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect(await t.queues.deployments.isPaused()).toBe(false);
  });
});

describe('queue board actions through its own API', () => {
  it('retries a failed job, promotes a delayed one and cleans a job', async () => {
    const queue = t.queues.deployments;
    const failing = await queue.add('create', { v: 1, deploymentId: 'board-test', opSeq: 1 }, { jobId: 'board-fail', attempts: 1 });
    const worker = new Worker('deployments', async () => {
      throw new UnrecoverableError('planted failure');
    }, { connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null } as ConnectionOptions, prefix: t.prefix });
    try {
      for (let i = 0; (await failing.getState()) !== 'failed'; i++) {
        if (i > 200) throw new Error('the planted job never failed');
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await worker.close();
    }
    const cookie = await sessionCookie();
    const failed = (await listQueues(cookieHeader(cookie), '?activeQueue=deployments&status=failed&page=1')).find((q) => q.name === 'deployments')!;
    expect(failed.jobs.map((j) => j.id)).toContain('board-fail');

    const retry = await t.call('PUT', '/admin/queues/api/queues/deployments/board-fail/retry', { headers: { ...cookieHeader(cookie), 'sec-fetch-site': 'same-origin' } });
    expect(retry.status).toBe(204);
    expect(await (await queue.getJob('board-fail'))!.getState()).toBe('waiting');

    await queue.add('create', { v: 1, deploymentId: 'board-test', opSeq: 2 }, { jobId: 'board-delayed', delay: 3_600_000 });
    const promote = await t.call('PUT', '/admin/queues/api/queues/deployments/board-delayed/promote', { headers: ops });
    expect(promote.status).toBe(204);
    expect(await (await queue.getJob('board-delayed'))!.getState()).toBe('waiting');

    const clean = await t.call('PUT', '/admin/queues/api/queues/deployments/board-delayed/clean', { headers: ops });
    expect(clean.status).toBe(204);
    expect(await queue.getJob('board-delayed')).toBeUndefined();
  });
});

describe('queue board switch', () => {
  it('is off, with one log line, when no credentials are configured outside all-in-one mode', async () => {
    const logger = createMemoryLogger();
    expect(resolveQueueBoardAccess(loadConfig({ SECRET_KEY: TEST_SECRET_KEY, DATABASE_URL: 'postgres://x/y', DEV_ISSUER: '1' }, 'api'), TEST_SECRET_KEY, logger)).toBeUndefined();
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0].msg).toMatch(/queue board is off.*BULL_BOARD_USER and BULL_BOARD_PASSWORD/);

    const off = await createTestApp({}, {}, { nodeRoutes: true });
    try {
      expect((await off.call('GET', '/admin/queues', { token: await off.token('root', { groups: ['admins'] }) })).status).toBe(404);
      expect(off.logger.entries.filter((e) => /queue board is off/.test(e.msg ?? ''))).toHaveLength(1);
    } finally {
      await off.close();
    }
  });

  it('makes up stable credentials in all-in-one mode when none are configured', () => {
    const logger = createMemoryLogger();
    const config = loadConfig({}, 'all-in-one');
    const a = resolveQueueBoardAccess(config, 'k'.repeat(40), logger)!;
    expect(a).toMatchObject({ user: 'admin', generated: true });
    expect(a.password).toHaveLength(20);
    expect(resolveQueueBoardAccess(config, 'k'.repeat(40), logger)!.password).toBe(a.password);
    expect(resolveQueueBoardAccess(config, 'j'.repeat(40), logger)!.password).not.toBe(a.password);
    const configured = resolveQueueBoardAccess(loadConfig({ BULL_BOARD_USER: 'u', BULL_BOARD_PASSWORD: 'p'.repeat(12) }, 'all-in-one'), 'k'.repeat(40), logger)!;
    expect(configured).toMatchObject({ user: 'u', password: 'p'.repeat(12), generated: false });
    expect(logger.entries).toHaveLength(0);
  });

  it('wants the user and the password together, and a password of 12 characters or more', () => {
    expect(() => loadConfig({ BULL_BOARD_USER: 'u' }, 'all-in-one')).toThrow(/BULL_BOARD_USER and BULL_BOARD_PASSWORD go together/);
    expect(() => loadConfig({ BULL_BOARD_USER: 'u', BULL_BOARD_PASSWORD: 'short' }, 'all-in-one')).toThrow(/BULL_BOARD_PASSWORD must be at least 12 characters \(got "\*\*\*\*\*"\)/);
  });
});
