import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/node/free-port.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { sampleValue } from '../helpers/prometheus-text.js';
import { deleteRedisPrefix } from '../helpers/redis-cleanup.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { poll, spawnEntry, waitHealthy, type Spawned } from './processes.helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'orch-aio-metrics-'));
const prefix = `test-aio-${crypto.randomUUID().slice(0, 8)}`;
let database: TestDatabase;
let aio: Spawned;
let url: string;
let workerMetricsPort: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const port = await freePort();
  workerMetricsPort = await freePort();
  url = `http://127.0.0.1:${port}`;
  aio = spawnEntry('src/node/main-all-in-one.ts', {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    // The reconciler runs at once and then often: a job the in-process worker records.
    RECONCILE_INTERVAL_MS: '500',
    WORKER_METRICS_PORT: String(workerMetricsPort),
    LOG_LEVEL: 'warn',
  });
  await waitHealthy(aio, url, 90_000);
}, 120_000);

afterAll(async () => {
  await aio?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  await deleteRedisPrefix(prefix);
});

describe('npm start (all-in-one) metrics', () => {
  it('serves API, worker, IM, queue and deployment series from one registry on the API port', async () => {
    await fetch(`${url}/api/v1/health`);
    const text = await poll('a maintenance job recorded by the in-process worker', async () => {
      const res = await fetch(`${url}/metrics`);
      const body = await res.text();
      return sampleValue(body, 'orchestrator_jobs_processed_total', { queue: 'maintenance', name: 'reconcile' }) ? body : undefined;
    }, 30_000, 200);
    expect(sampleValue(text, 'http_requests_total', { method: 'GET', route: '/api/v1/health', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'orchestrator_queue_jobs', { queue: 'maintenance', state: 'failed' })).toBe(0);
    expect(sampleValue(text, 'orchestrator_deployments', { status: 'CREATE_COMPLETE' })).toBe(0);
    expect(text).toContain('# TYPE orchestrator_im_request_duration_seconds histogram');
    // Each family once: the API and the worker share the registry rather than each bringing their own.
    expect(text.match(/^# TYPE orchestrator_queue_jobs gauge$/gm)).toHaveLength(1);
    expect(text.match(/^# TYPE process_cpu_user_seconds_total counter$/gm)).toHaveLength(1);
    // No second endpoint: WORKER_METRICS_PORT is for `npm run worker` only.
    expect(await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`).then(() => 'answered', () => 'refused')).toBe('refused');
  }, 60_000);
});
