import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobQueue } from '../queue/job-queue.js';
import { ALL_QUEUES, type QueueName } from '../queue/names.js';
import { jobTelemetry } from './job-telemetry.js';

export type QueueCatalogue = Record<QueueName, Queue>;

/** Producer-side queues; `skipWaitingForReady` makes `add` fail fast when Redis is down. */
export function createQueues(connection: Redis, prefix: string): QueueCatalogue {
  const entries = ALL_QUEUES.map((name) => [
    name,
    new Queue(name, {
      connection: connection as unknown as ConnectionOptions,
      prefix,
      skipWaitingForReady: true,
      telemetry: jobTelemetry(),
      defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    }),
  ]);
  return Object.fromEntries(entries) as QueueCatalogue;
}

export function bullmqJobQueue(queues: QueueCatalogue): JobQueue {
  return {
    async enqueue(queue, jobName, payload, options = {}) {
      await queues[queue].add(jobName, payload, {
        jobId: options.jobId,
        delay: options.delayMs,
        ...(options.attempts ? { attempts: options.attempts } : {}),
        ...(options.throttle ? { deduplication: { id: options.throttle.id, ttl: options.throttle.ttlMs } } : {}),
      });
    },
    async ensure(queue, jobName, payload, options) {
      const q = queues[queue];
      const add = () => q.add(jobName, payload, { jobId: options.jobId, ...(options.attempts ? { attempts: options.attempts } : {}) });
      const job = await q.getJob(options.jobId);
      if (!job) {
        await add();
        return 'added';
      }
      const state = await job.getState();
      if (state === 'completed' || state === 'failed' || state === 'unknown') {
        // An ended job keeps its id: it must go before the same id can run again.
        await job.remove().catch(() => undefined);
        await add();
        return 'readded';
      }
      if (state === 'delayed' && options.promote) {
        // It may have been picked up meanwhile: then it runs anyway.
        await job.promote().catch(() => undefined);
        return 'promoted';
      }
      return 'present';
    },
  };
}

export async function closeQueues(queues: QueueCatalogue): Promise<void> {
  await Promise.allSettled(Object.values(queues).map((q) => q.close()));
}
