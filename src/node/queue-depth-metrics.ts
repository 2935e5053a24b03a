import { Gauge, type Registry } from 'prom-client';
import type { QueueCatalogue } from './queues.js';
import { within } from './bounded-collect.js';

export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Jobs per queue and state, read on scrape: one getJobCounts per queue, in parallel, each given `timeoutMs`.
 * A queue Redis does not answer for loses its series for that scrape rather than showing stale numbers.
 */
export function queueDepthGauge(registry: Registry, queues: QueueCatalogue, o: { timeoutMs: number; onError(): void }): void {
  new Gauge({
    name: 'orchestrator_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed), read from Redis on scrape',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counted = await Promise.allSettled(
        Object.entries(queues).map(async ([name, queue]) => ({
          name,
          counts: await within(o.timeoutMs, `counting the jobs of ${name}`, queue.getJobCounts(...QUEUE_DEPTH_STATES)),
        })),
      );
      this.reset();
      for (const result of counted) {
        if (result.status === 'rejected') {
          o.onError();
          continue;
        }
        for (const state of QUEUE_DEPTH_STATES) this.labels(result.value.name, state).set(result.value.counts[state] ?? 0);
      }
    },
  });
}
