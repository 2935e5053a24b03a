import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobQueue } from '../queue/job-queue.js';
import { ALL_QUEUES, type QueueName } from '../queue/names.js';

export type QueueCatalogue = Record<QueueName, Queue>;

/** Producer-side queues; `skipWaitingForReady` makes `add` fail fast when Redis is down. */
export function createQueues(connection: Redis, prefix: string): QueueCatalogue {
  const entries = ALL_QUEUES.map((name) => [
    name,
    new Queue(name, {
      connection: connection as unknown as ConnectionOptions,
      prefix,
      skipWaitingForReady: true,
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
      });
    },
  };
}

export async function closeQueues(queues: QueueCatalogue): Promise<void> {
  await Promise.allSettled(Object.values(queues).map((q) => q.close()));
}
