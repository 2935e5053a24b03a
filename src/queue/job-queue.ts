import type { QueueName } from './names.js';

export interface EnqueueOptions {
  jobId?: string;
  delayMs?: number;
  attempts?: number;
}

/** What the API and services need from the queue backend (BullMQ in production). */
export interface JobQueue {
  enqueue(queue: QueueName, jobName: string, payload: object, options?: EnqueueOptions): Promise<void>;
}
