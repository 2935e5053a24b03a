import type { Config } from '../src/config.js';
import type { SharedServices } from '../src/node/services.js';
import type { ProcessMetrics } from '../src/node/process-metrics.js';
import { startWorkerPool, type WorkerPool } from '../src/node/worker-runtime.js';
import type { Services } from '../src/services/services.js';
import { buildProcessors } from './processors/index.js';

/** Every queue's processor on the shared services: what `npm run worker` and `npm start` both run. */
export function startWorkers(config: Config, shared: SharedServices, services: Services, redisUrl: string, metrics?: ProcessMetrics): Promise<WorkerPool> {
  metrics?.watchQueues(shared.queues);
  return startWorkerPool({
    redisUrl,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    lockMs: config.workerLockMs,
    schedules: config.schedules,
    processors: buildProcessors({ services, logRetentionDays: config.logRetentionDays, deletedLogRetentionDays: config.logs.deletedRetentionDays }),
    queues: shared.queues,
    logger: services.logger,
    jobs: metrics?.jobs(),
  });
}
