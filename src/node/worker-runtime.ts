import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { hostname } from 'node:os';
import type { Logger } from '../app-deps.js';
import { ALL_QUEUES, QUEUES, schedulerPlan, type ScheduleIntervals } from '../queue/names.js';
import { PAYLOAD_SCHEMAS } from '../queue/payloads.js';
import { DeferJob, PermanentJobError, type ProcessorMap } from '../queue/processor.js';
import { loggableError } from '../services/loggable-error.js';
import { annotateJobSpan, jobTelemetry, noteJobDeferred } from './job-telemetry.js';
import type { QueueCatalogue } from './queues.js';
import { createWorkerConnection } from './redis.js';
import { instrumentProcessor, type JobObserver } from './worker-metrics.js';

/** How often a pool re-asserts the maintenance schedules. */
const SCHEDULE_REASSERT_MS = 30_000;

export interface WorkerPool {
  /** `<host>:<pid>`: what BullMQ records as a job's `processedBy`. */
  readonly name: string;
  close(force?: boolean): Promise<void>;
  /**
   * Takes no new jobs and waits up to `graceMs` for the active ones; jobs still running then keep their lock
   * until it lapses, and another worker picks them up through stalled-job recovery.
   */
  shutdown(graceMs: number): Promise<'drained' | 'left-to-stalled-recovery'>;
}

/** Validates the payload, runs the processor, and turns permanent failures into UnrecoverableError. */
function wrap(queue: keyof typeof PAYLOAD_SCHEMAS, processors: ProcessorMap, logger: Logger) {
  return async (job: Job, token?: string) => {
    annotateJobSpan(queue, job);
    const schemas = PAYLOAD_SCHEMAS[queue] as Record<string, { safeParse(d: unknown): { success: boolean; error?: unknown } }>;
    const schema = schemas[job.name];
    if (!schema) throw new UnrecoverableError(`unknown job ${job.name} on queue ${queue}`);
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${queue}/${job.name}`);
    try {
      return await processors[queue]({ id: job.id, name: job.name, data: job.data, attemptsMade: job.attemptsMade });
    } catch (err) {
      if (err instanceof DeferJob && token) {
        noteJobDeferred(err.delayMs);
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        throw new DelayedError();
      }
      logger.warn({ err: loggableError(err), queue, job: job.name, jobId: job.id }, 'job failed');
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}

export async function startWorkerPool(options: {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** Lock duration and stalled-job check period (default 30 s). */
  lockMs?: number;
  processors: ProcessorMap;
  queues: QueueCatalogue;
  logger: Logger;
  schedules?: Partial<ScheduleIntervals>;
  /** Told how each run of a job ended (metrics). */
  jobs?: JobObserver;
}): Promise<WorkerPool> {
  const name = `${hostname()}:${process.pid}`;
  const connection = createWorkerConnection(options.redisUrl);
  connection.on('error', (err) => options.logger.warn({ err: err.message }, 'worker redis connection error'));
  const workers = ALL_QUEUES.map(
    (queue) =>
      new Worker(queue, instrumentProcessor(queue, wrap(queue, options.processors, options.logger), options.jobs), {
        connection: connection as unknown as ConnectionOptions,
        name,
        prefix: options.prefix,
        concurrency: queue === QUEUES.maintenance ? 1 : options.concurrency,
        lockDuration: options.lockMs ?? 30_000,
        stalledInterval: options.lockMs ?? 30_000,
        // A worker killed mid-step leaves its job stalled: run it again rather than failing the deployment.
        maxStalledCount: 10,
        telemetry: jobTelemetry(),
      }),
  );
  for (const w of workers) w.on('error', (err) => options.logger.warn({ err: err.message, queue: w.name }, 'worker error'));
  const maintenance = options.queues.maintenance;
  const upsertSchedulers = async () => {
    for (const s of schedulerPlan(options.schedules)) {
      await maintenance.upsertJobScheduler(s.id, s.repeat, { name: s.id, data: { v: 1 }, opts: { telemetry: { omitContext: true } } });
    }
  };
  await upsertSchedulers();
  // Upserting the same schedule is idempotent; doing it again restores the schedules of a Redis that lost its data.
  const reassert = setInterval(() => {
    upsertSchedulers().catch((err) => options.logger.warn({ err: loggableError(err) }, 'could not re-assert the maintenance schedules'));
  }, options.schedules?.reassertMs ?? SCHEDULE_REASSERT_MS);
  reassert.unref();
  let closing: Promise<void> | undefined;
  const close = (force = false) => {
    closing ??= (async () => {
      clearInterval(reassert);
      await Promise.allSettled(workers.map((w) => w.close(force)));
      connection.disconnect();
    })();
    return closing;
  };
  return {
    name,
    close,
    async shutdown(graceMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const graceOver = new Promise<'left-to-stalled-recovery'>((r) => (timer = setTimeout(() => r('left-to-stalled-recovery'), graceMs)));
      const outcome = await Promise.race([close().then(() => 'drained' as const), graceOver]);
      clearTimeout(timer);
      if (outcome !== 'drained') {
        options.logger.warn({ graceMs }, 'active jobs outlived the shutdown grace period: leaving them to stalled-job recovery');
        connection.disconnect();
      }
      return outcome;
    },
  };
}
