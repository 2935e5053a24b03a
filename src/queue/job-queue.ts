import type { QueueName } from './names.js';

export interface EnqueueOptions {
  jobId?: string;
  delayMs?: number;
  attempts?: number;
  /** At most one job with this id per `ttlMs`: later adds within the window are dropped (throttling). */
  throttle?: { id: string; ttlMs: number };
}

export interface EnsureOptions {
  jobId: string;
  attempts?: number;
  /** Run a job that waits in its delay now (a deadline passed). */
  promote?: boolean;
}

/** What `ensure` found: the job was there, was missing, had ended, or was waiting and was promoted. */
export type EnsureOutcome = 'present' | 'added' | 'readded' | 'promoted';

/** What the API and services need from the queue backend (BullMQ in production). */
export interface JobQueue {
  enqueue(queue: QueueName, jobName: string, payload: object, options?: EnqueueOptions): Promise<void>;
  /**
   * Makes sure the job with this id is pending or running: adds it when missing (lost with Redis, or
   * never enqueued after a crash), adds it again when it already ended. Safe to call at any time.
   */
  ensure(queue: QueueName, jobName: string, payload: object, options: EnsureOptions): Promise<EnsureOutcome>;
}
