import type { JobQueue } from '../../queue/job-queue.js';
import { QUEUES } from '../../queue/names.js';
import { loggableError } from '../loggable-error.js';
import type { Logger } from '../logger.js';

/** A log-ingest `append` job holds at most this many lines (the payload schema's limit). */
export const LINES_PER_JOB = 500;
/** Lines kept while the queue is unreachable; beyond it the oldest batch is dropped (and said so). */
const MAX_BUFFERED = 20_000;

/**
 * Orchestrator log lines leave the hot path: `publish` only buffers; a flush (timer, or explicit at
 * shutdown) sends one `append` job per deployment with every line gathered meanwhile.
 */
export interface LogPublisher {
  publish(deploymentId: string, line: string): void;
  /** Sends everything buffered now; resolves when the jobs are in the queue (or given up). */
  flush(): Promise<void>;
}

export function createLogPublisher(o: { queue: JobQueue; logger: Logger; flushMs: number; now: () => Date }): LogPublisher {
  let buffer = new Map<string, Array<{ ts: string; line: string }>>();
  let buffered = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const send = async (batch: Map<string, Array<{ ts: string; line: string }>>) => {
    const jobs: Array<Promise<void>> = [];
    for (const [deploymentId, lines] of batch) {
      for (let i = 0; i < lines.length; i += LINES_PER_JOB) {
        const chunk = lines.slice(i, i + LINES_PER_JOB);
        jobs.push(
          o.queue.enqueue(QUEUES.logIngest, 'append', { v: 1, deploymentId, lines: chunk }).catch((err) => {
            requeue(deploymentId, chunk);
            o.logger.warn({ err: loggableError(err), deploymentId, lines: chunk.length }, 'log lines not published yet');
          }),
        );
      }
    }
    await Promise.all(jobs);
  };

  const requeue = (deploymentId: string, lines: Array<{ ts: string; line: string }>) => {
    if (buffered + lines.length > MAX_BUFFERED) {
      o.logger.error({ deploymentId, lines: lines.length }, 'log lines dropped: the log queue is unreachable');
      return;
    }
    buffer.set(deploymentId, [...lines, ...(buffer.get(deploymentId) ?? [])]);
    buffered += lines.length;
    schedule();
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = new Map();
    buffered = 0;
    flushing = flushing.then(() => (batch.size ? send(batch) : undefined));
    return flushing;
  };

  function schedule() {
    if (timer) return;
    timer = setTimeout(() => void flush(), o.flushMs);
    timer.unref();
  }

  return {
    publish(deploymentId, line) {
      const lines = buffer.get(deploymentId);
      const entry = { ts: o.now().toISOString(), line };
      if (lines) lines.push(entry);
      else buffer.set(deploymentId, [entry]);
      buffered += 1;
      if (buffered >= LINES_PER_JOB) void flush();
      else schedule();
    },
    flush,
  };
}
