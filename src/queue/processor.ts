import type { QueueName } from './names.js';

/** A job as processors see it: no BullMQ types leak into workers/. */
export interface JobEnvelope {
  id: string | undefined;
  name: string;
  data: unknown;
  attemptsMade: number;
}

export type Processor = (job: JobEnvelope) => Promise<unknown>;

export type ProcessorMap = Record<QueueName, Processor>;

/** Thrown by a processor for a failure that retrying cannot fix. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * Thrown by a processor that waits on something outside (the IM): the same job runs again after
 * `delayMs`, without counting as a failed attempt and without holding a worker slot meanwhile.
 */
export class DeferJob extends Error {
  constructor(readonly delayMs: number) {
    super(`deferred for ${delayMs} ms`);
    this.name = 'DeferJob';
  }
}
