import type { Logger } from '../src/app-deps.js';
import type { Config } from '../src/config.js';
import type { SharedServices } from '../src/node/services.js';
import { startWorkerPool, type WorkerPool } from '../src/node/worker-runtime.js';
import { buildProcessors } from './processors/index.js';

/** Every queue's processor on the shared services: what `npm run worker` and `npm start` both run. */
export function startWorkers(config: Config, services: SharedServices, redisUrl: string, logger: Logger): Promise<WorkerPool> {
  return startWorkerPool({
    redisUrl,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    processors: buildProcessors({ db: services.database.db, logRetentionDays: config.logRetentionDays, logger }),
    queues: services.queues,
    logger,
  });
}
