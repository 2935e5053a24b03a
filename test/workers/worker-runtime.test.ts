import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentLogs, deployments } from '../../src/db/schema.js';
import { closeQueues, createQueues, type QueueCatalogue } from '../../src/node/queues.js';
import { createProducerConnection, waitForReady } from '../../src/node/redis.js';
import { startWorkerPool, type WorkerPool } from '../../src/node/worker-runtime.js';
import { buildProcessors } from '../../workers/processors/index.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { createMemoryLogger } from '../helpers/memory-logger.js';
import { deleteRedisPrefix } from '../helpers/redis-cleanup.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { createTestServices } from '../helpers/test-services.js';

const prefix = `test-${crypto.randomUUID().slice(0, 8)}`;
let database: TestDatabase;
let queues: QueueCatalogue;
let pool: WorkerPool;
let events: QueueEvents;
const redis = createProducerConnection(TEST_REDIS_URL);
const logger = createMemoryLogger();

beforeAll(async () => {
  redis.on('error', () => {});
  await waitForReady(redis);
  database = await createTestDatabase();
  queues = createQueues(redis, prefix);
  events = new QueueEvents('maintenance', { connection: { url: TEST_REDIS_URL } as never, prefix });
  await events.waitUntilReady();
  pool = await startWorkerPool({
    redisUrl: TEST_REDIS_URL,
    prefix,
    concurrency: 2,
    processors: buildProcessors({ services: await createTestServices({ database, queues, logger }), logRetentionDays: 30 }),
    queues,
    logger,
  });
});
afterAll(async () => {
  await pool?.close();
  await events?.close();
  if (queues) await closeQueues(queues);
  redis.disconnect();
  await database?.drop();
  await deleteRedisPrefix(prefix);
});

describe('the worker pool on real Redis', () => {
  it('registers the three maintenance schedulers once, however often it starts', async () => {
    const again = await startWorkerPool({
      redisUrl: TEST_REDIS_URL,
      prefix,
      concurrency: 1,
      processors: buildProcessors({ services: await createTestServices({ database, queues, logger }), logRetentionDays: 30 }),
      queues,
      logger,
    });
    await again.close();
    const schedulers = await queues.maintenance.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['log-cleanup', 'reconcile', 'timeout-sweep']);
    // Log cleanup runs daily at the configured time; the other two every minute by default.
    expect(schedulers.find((s) => s.key === 'log-cleanup')?.pattern).toBe('0 3 * * *');
    expect(schedulers.find((s) => s.key === 'reconcile')?.every).toBe(60_000);
  });

  it('runs a log-cleanup job end to end', async () => {
    const deploymentId = crypto.randomUUID();
    await database.db.insert(deployments).values({ id: deploymentId, status: 0 });
    await database.db.insert(deploymentLogs).values([
      { deploymentId, ts: new Date(Date.now() - 90 * 86_400_000), source: 'im', line: 'ancient' },
      { deploymentId, ts: new Date(), source: 'im', line: 'today' },
    ]);
    const job = await queues.maintenance.add('log-cleanup', { v: 1 }, { jobId: `cleanup-${crypto.randomUUID()}` });
    expect(await job.waitUntilFinished(events, 20_000)).toEqual({ removed: 1 });
    const left = await database.db.select({ line: deploymentLogs.line }).from(deploymentLogs);
    expect(left).toEqual([{ line: 'today' }]);
  });

  it('fails a job with an invalid payload at once, without retries', async () => {
    const job = await queues.maintenance.add('log-cleanup', { v: 2 }, { jobId: `bad-${crypto.randomUUID()}`, attempts: 5 });
    await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow(/invalid payload for maintenance\/log-cleanup/);
    const failed = await queues.maintenance.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
  });
});
