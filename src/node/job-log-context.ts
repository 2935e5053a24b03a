import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while a job runs says about that job. */
export interface JobLogContext {
  queue: string;
  job: string;
  jobId?: string;
  deploymentId?: string;
}

const running = new AsyncLocalStorage<JobLogContext>();

/** Runs a job's processor so that the process logger tags its lines with the job (see createLogger's mixin). */
export function withJobLogContext<T>(context: JobLogContext, work: () => Promise<T>): Promise<T> {
  return running.run(context, work);
}

/** The job the caller runs for, or an empty object outside jobs; a fresh object, as pino merges the line into it. */
export function currentJobLogContext(): Partial<JobLogContext> {
  const context = running.getStore();
  return context ? { ...context } : {};
}

/** The context of a BullMQ-style job: payloads of deployment work carry `deploymentId`. */
export function jobLogContextOf(queue: string, job: { name: string; id?: string; data: unknown }): JobLogContext {
  const data = job.data as { deploymentId?: unknown } | null;
  const deploymentId = typeof data?.deploymentId === 'string' ? data.deploymentId : undefined;
  return { queue, job: job.name, ...(job.id !== undefined ? { jobId: job.id } : {}), ...(deploymentId ? { deploymentId } : {}) };
}
