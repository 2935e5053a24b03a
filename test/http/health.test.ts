import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisProbe } from '../../src/node/probes.js';
import { createProducerConnection, waitForReady } from '../../src/node/redis.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { openPostgres } from '../../src/node/database.js';
import { freePort } from '../../src/node/free-port.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});


describe('GET /api/v1/health', () => {
  it('answers 200 healthy without authentication, with no details', async () => {
    const res = await t.call('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', db_connection: 'healthy', redis_connection: 'healthy' });
    expect(res.body.details).toBeUndefined();
    expect(res.body.opa_connection).toBeUndefined();
    expect(res.body.vault_connection).toBeUndefined();
    expect(Number.isNaN(Date.parse(res.body.timestamp))).toBe(false);
  });

  it('answers 500 with redis_connection unhealthy and details when Redis goes away, and keeps serving', async () => {
    const port = await freePort();
    const server: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const redis = createProducerConnection(`redis://127.0.0.1:${port}`);
    redis.on('error', () => {});
    const dying = await createTestApp({}, {});
    try {
      await waitForReady(redis);
      dying.deps.health.redis = redisProbe(redis);
      expect((await dying.call('GET', '/api/v1/health')).status).toBe(200);
      await new Promise<void>((r) => {
        server.once('exit', () => r());
        server.kill('SIGKILL');
      });
      const res = await dying.call('GET', '/api/v1/health');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ status: 'unhealthy', db_connection: 'healthy', redis_connection: 'unhealthy' });
      expect(res.body.details).toMatch(/^redis: /);
      const token = await dying.token('still-served');
      expect((await dying.call('GET', '/api/v1/users', { token })).status).toBe(200);
    } finally {
      redis.disconnect();
      if (server.exitCode === null) server.kill('SIGKILL');
      await dying.close();
    }
  });

  it('reports the database as unhealthy when it cannot be reached', async () => {
    const original = t.deps.health.db;
    const unreachable = await openPostgres(`postgres://postgres@127.0.0.1:${await freePort()}/gone`, { max: 1 });
    t.deps.health.db = unreachable.ping;
    try {
      const res = await t.call('GET', '/api/v1/health');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ status: 'unhealthy', db_connection: 'unhealthy', redis_connection: 'healthy' });
      expect(res.body.details).toMatch(/^db: .*ECONNREFUSED/);
    } finally {
      t.deps.health.db = original;
      await unreachable.close();
    }
  });

  it('reports OPA and Vault only when configured', async () => {
    const withExtras = await createTestApp({}, {});
    try {
      withExtras.deps.health.opa = async () => {};
      withExtras.deps.health.vault = async () => {
        throw new Error('sealed');
      };
      const res = await withExtras.call('GET', '/api/v1/health');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ opa_connection: 'healthy', vault_connection: 'unhealthy', details: 'vault: sealed' });
    } finally {
      await withExtras.close();
    }
  });
});

describe('GET /api/v1/configuration', () => {
  it('lists the endpoints a client needs', async () => {
    const res = await t.call('GET', '/api/v1/configuration');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      im_url: null,
      oidc_issuers: [t.issuer.issuer],
      docs_url: `${t.url}/docs`,
      openapi_url: `${t.url}/api/v1/openapi.json`,
    });
  });
});
