import { DelayedError, type Job } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';
import { jobLogContextOf, withJobLogContext } from './job-log-context.js';

/** How a run of a job ended. `deferred`: the job waits on the IM and runs again later (neither done nor failed). */
export type JobOutcome = 'completed' | 'failed' | 'deferred';

export interface JobObserver {
  jobEnded(queue: string, jobName: string, outcome: JobOutcome, seconds: number): void;
}

/** Jobs processed, failed and deferred per queue and job name, and how long each run took. */
export function jobMetrics(registry: Registry): JobObserver {
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['queue', 'name'], registers: [registry] });
  const totals: Record<JobOutcome, Counter> = {
    completed: counter('orchestrator_jobs_processed_total', 'Job runs that completed, by queue and job name'),
    failed: counter('orchestrator_jobs_failed_total', 'Job runs that failed (each failed attempt counts), by queue and job name'),
    deferred: counter('orchestrator_jobs_deferred_total', 'Job runs that deferred the job to a later run (waiting on the IM), by queue and job name'),
  };
  const duration = new Histogram({
    name: 'orchestrator_job_duration_seconds',
    help: 'Duration of one run of a job by queue, job name and outcome (completed, failed, deferred)',
    labelNames: ['queue', 'name', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  return {
    jobEnded(queue, jobName, outcome, seconds) {
      totals[outcome].labels(queue, jobName).inc();
      duration.labels(queue, jobName, outcome).observe(seconds);
    },
  };
}

type JobProcessor = (job: Job, token?: string) => Promise<unknown>;

/** Runs each job with its log context (queue, job, ids) and reports how the run ended to the observer. */
export function instrumentProcessor(queue: string, processor: JobProcessor, observer?: JobObserver): JobProcessor {
  return (job, token) =>
    withJobLogContext(jobLogContextOf(queue, job), async () => {
      const started = performance.now();
      const ended = (outcome: JobOutcome) => observer?.jobEnded(queue, job.name, outcome, (performance.now() - started) / 1000);
      try {
        const result = await processor(job, token);
        ended('completed');
        return result;
      } catch (err) {
        ended(err instanceof DelayedError ? 'deferred' : 'failed');
        throw err;
      }
    });
}
