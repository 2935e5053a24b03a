import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/node/logger.js';
import { createProcessMetrics, type ProcessMetrics } from '../../src/node/process-metrics.js';
import { closeQueues, createQueues, type QueueCatalogue } from '../../src/node/queues.js';
import { createProducerConnection, waitForReady } from '../../src/node/redis.js';
import { startWorkerPool, type WorkerPool } from '../../src/node/worker-runtime.js';
import { DeferJob, type ProcessorMap } from '../../src/queue/processor.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { sampleValue } from '../helpers/prometheus-text.js';
import { deleteRedisPrefix } from '../helpers/redis-cleanup.js';
import { poll } from '../e2e/processes.helpers.js';

const prefix = `test-${crypto.randomUUID().slice(0, 8)}`;
const redis = createProducerConnection(TEST_REDIS_URL);
let output = '';
const logger = createLogger('info', 'orchestrator-worker', {
  destination: new Writable({
    write(chunk, _encoding, done) {
      output += chunk;
      done();
    },
  }),
});
const lines = () => output.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
let queues: QueueCatalogue;
let pool: WorkerPool;
let metrics: ProcessMetrics;
const deferredOnce = new Set<string>();

// Stand-in processors: what the pool wraps around them (log context, metrics) is under test, not the steps.
const processors: ProcessorMap = {
  deployments: async (job) => {
    if (job.name === 'delete') throw new Error('the IM refused');
    if (job.name === 'update' && !deferredOnce.has(job.id!)) {
      deferredOnce.add(job.id!);
      throw new DeferJob(10);
    }
    logger.info({}, `ran ${job.name}`);
  },
  'resource-actions': async () => undefined,
  'log-ingest': async () => undefined,
  maintenance: async () => undefined,
};

beforeAll(async () => {
  redis.on('error', () => {});
  await waitForReady(redis);
  queues = createQueues(redis, prefix);
  metrics = createProcessMetrics();
  pool = await startWorkerPool({ redisUrl: TEST_REDIS_URL, prefix, concurrency: 2, processors, queues, logger, jobs: metrics.jobs() });
});
afterAll(async () => {
  await pool?.close();
  if (queues) await closeQueues(queues);
  redis.disconnect();
  await deleteRedisPrefix(prefix);
});

const job = (deploymentId: string) => ({ v: 1, deploymentId, opSeq: 1 });
const JOB_OPTS = { attempts: 1 };

describe('a job run by the worker pool', () => {
  it('logs with its queue, job name, job id and deployment id', async () => {
    const deploymentId = crypto.randomUUID();
    await queues.deployments.add('create', job(deploymentId), { ...JOB_OPTS, jobId: `create-${deploymentId}` });
    const line = await poll('the processor line', async () => lines().find((l) => l.msg === 'ran create' && l.deploymentId === deploymentId), 15_000);
    expect(line).toMatchObject({ queue: 'deployments', job: 'create', jobId: `create-${deploymentId}`, deploymentId });
    // Outside a job, lines carry no job fields.
    logger.info({}, 'between jobs');
    expect(lines().find((l) => l.msg === 'between jobs')).not.toHaveProperty('jobId');
  });

  it('logs a failure with the job it belongs to and counts it as failed', async () => {
    const deploymentId = crypto.randomUUID();
    await queues.deployments.add('delete', job(deploymentId), JOB_OPTS);
    const line = await poll('the failure line', async () => lines().find((l) => l.msg === 'job failed' && l.deploymentId === deploymentId), 15_000);
    expect(line).toMatchObject({ level: 40, queue: 'deployments', job: 'delete' });
    expect(line.jobId).toMatch(/\S/);
    const { body } = await metrics.scrape();
    expect(sampleValue(body, 'orchestrator_jobs_failed_total', { queue: 'deployments', name: 'delete' })).toBe(1);
    expect(sampleValue(body, 'orchestrator_jobs_processed_total', { queue: 'deployments', name: 'delete' })).toBeUndefined();
    expect(sampleValue(body, 'orchestrator_job_duration_seconds_count', { queue: 'deployments', name: 'delete', outcome: 'failed' })).toBe(1);
  });

  it('counts a deferred run apart from the run that completes the job', async () => {
    const deploymentId = crypto.randomUUID();
    await queues.deployments.add('update', job(deploymentId), JOB_OPTS);
    await poll('the second run', async () => lines().find((l) => l.msg === 'ran update' && l.deploymentId === deploymentId), 15_000);
    const body = await poll('the completed run to be counted', async () => {
      const text = (await metrics.scrape()).body;
      return sampleValue(text, 'orchestrator_jobs_processed_total', { queue: 'deployments', name: 'update' }) === 1 ? text : undefined;
    }, 5_000);
    expect(sampleValue(body, 'orchestrator_jobs_deferred_total', { queue: 'deployments', name: 'update' })).toBe(1);
    expect(sampleValue(body, 'orchestrator_jobs_failed_total', { queue: 'deployments', name: 'update' })).toBeUndefined();
    expect(sampleValue(body, 'orchestrator_job_duration_seconds_count', { queue: 'deployments', name: 'update', outcome: 'deferred' })).toBe(1);
  });
});
