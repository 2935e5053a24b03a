import { Redis } from 'ioredis';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments } from '../../src/db/schema.js';
import { DEPLOYMENT_STATUS } from '../../src/domain/deployment-status.js';
import { freePort } from '../../src/node/free-port.js';
import { createProcessMetrics } from '../../src/node/process-metrics.js';
import { createQueues, type QueueCatalogue } from '../../src/node/queues.js';
import { sampleValue, seriesOf } from '../helpers/prometheus-text.js';
import { createTestDatabase } from '../helpers/test-db.js';

let deadRedis: Redis;
let deadQueues: QueueCatalogue;
let silent: Server;
const silentSockets: Socket[] = [];
let hungRedis: Redis;
let hungQueues: QueueCatalogue;

const quietQueues = (redis: Redis, prefix: string) => {
  const queues = createQueues(redis, prefix);
  for (const q of Object.values(queues)) q.on('error', () => {});
  return queues;
};

beforeAll(async () => {
  // A producer connection whose Redis is gone: nothing listens on the port.
  deadRedis = new Redis(`redis://127.0.0.1:${await freePort()}`, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 1_000 });
  deadRedis.on('error', () => {});
  deadQueues = quietQueues(deadRedis, 'metrics-dead');
  // A Redis that takes the connection and never answers: every command hangs.
  silent = createServer((socket) => void silentSockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  hungRedis = new Redis({ host: '127.0.0.1', port: (silent.address() as { port: number }).port, enableReadyCheck: false, maxRetriesPerRequest: 1 });
  hungRedis.on('error', () => {});
  hungQueues = quietQueues(hungRedis, 'metrics-hung');
});
afterAll(async () => {
  deadRedis.disconnect();
  hungRedis.disconnect();
  for (const s of silentSockets) s.destroy();
  await new Promise((r) => silent.close(r));
});

describe('the process metrics registry', () => {
  it('holds each part once when the API and the workers of one process both ask for it', async () => {
    const metrics = createProcessMetrics();
    expect(metrics.jobs()).toBe(metrics.jobs());
    expect(metrics.http()).toBe(metrics.http());
    metrics.watchQueues(deadQueues);
    metrics.watchQueues(deadQueues);
    metrics.jobs().jobEnded('deployments', 'create', 'completed', 0.2);
    metrics.im.attemptEnded({ operation: 'getState', durationMs: 12, errorKind: 'timeout' });
    const { body, contentType } = await metrics.scrape();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body.match(/^# TYPE orchestrator_queue_jobs gauge$/gm)).toHaveLength(1);
    expect(sampleValue(body, 'orchestrator_jobs_processed_total', { queue: 'deployments', name: 'create' })).toBe(1);
    expect(sampleValue(body, 'orchestrator_im_request_errors_total', { operation: 'getState', kind: 'timeout' })).toBe(1);
    expect(sampleValue(body, 'orchestrator_im_request_duration_seconds_count', { operation: 'getState', outcome: 'error' })).toBe(1);
  });

  it('answers a scrape promptly without queue series when Redis is down, and counts the miss', async () => {
    const metrics = createProcessMetrics({ collectTimeoutMs: 300 });
    metrics.watchQueues(deadQueues);
    const started = performance.now();
    const { body } = await metrics.scrape();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(seriesOf(body, 'orchestrator_queue_jobs')).toEqual([]);
    expect(sampleValue(body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    // Series are read side by side, so a miss shows from the next scrape on: one per queue.
    const next = (await metrics.scrape()).body;
    expect(sampleValue(next, 'orchestrator_metrics_collect_errors_total', { source: 'redis' })).toBeGreaterThanOrEqual(4);
  });

  it('gives up on a Redis that never answers after the collect timeout', async () => {
    const metrics = createProcessMetrics({ collectTimeoutMs: 300 });
    metrics.watchQueues(hungQueues);
    const started = performance.now();
    const { body } = await metrics.scrape();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(seriesOf(body, 'orchestrator_queue_jobs')).toEqual([]);
  });
});

describe('the deployments-by-status gauge', () => {
  it('shows every status, counted from Postgres at most once per cache period', async () => {
    const database = await createTestDatabase();
    try {
      const insert = (status: number) => database.db.insert(deployments).values({ id: crypto.randomUUID(), status });
      await insert(DEPLOYMENT_STATUS.CREATE_COMPLETE);
      await insert(DEPLOYMENT_STATUS.CREATE_COMPLETE);
      await insert(DEPLOYMENT_STATUS.DELETE_IN_PROGRESS);
      const cached = createProcessMetrics({ deploymentCountCacheMs: 60_000 });
      const fresh = createProcessMetrics({ deploymentCountCacheMs: 0 });
      cached.countDeployments(database.db);
      fresh.countDeployments(database.db);
      const first = (await cached.scrape()).body;
      expect(sampleValue(first, 'orchestrator_deployments', { status: 'CREATE_COMPLETE' })).toBe(2);
      expect(sampleValue(first, 'orchestrator_deployments', { status: 'DELETE_IN_PROGRESS' })).toBe(1);
      expect(seriesOf(first, 'orchestrator_deployments')).toHaveLength(Object.keys(DEPLOYMENT_STATUS).length);
      expect(sampleValue(first, 'orchestrator_deployments', { status: 'UPDATE_FAILED' })).toBe(0);

      await insert(DEPLOYMENT_STATUS.CREATE_COMPLETE);
      expect(sampleValue((await cached.scrape()).body, 'orchestrator_deployments', { status: 'CREATE_COMPLETE' })).toBe(2);
      expect(sampleValue((await fresh.scrape()).body, 'orchestrator_deployments', { status: 'CREATE_COMPLETE' })).toBe(3);
    } finally {
      await database.drop();
    }
  });
});
