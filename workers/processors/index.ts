import type { ProcessorMap } from '../../src/queue/processor.js';
import type { Services } from '../../src/services/services.js';
import { deploymentsProcessor } from '../deployments/processor.js';
import { logIngestProcessor } from '../logs/processor.js';
import { resourceActionsProcessor } from '../resources/processor.js';
import { reconcileJobs, sweepTimeouts } from '../../src/services/maintenance/reconcile.js';
import { maintenanceProcessor } from './maintenance.js';

export interface ProcessorDeps {
  services: Services;
  logRetentionDays: number;
  /** Logs of deployments deleted longer ago than this go too (default 7). */
  deletedLogRetentionDays?: number;
}

/** The processor of each queue. */
export function buildProcessors(deps: ProcessorDeps): ProcessorMap {
  return {
    deployments: deploymentsProcessor(deps.services),
    'resource-actions': resourceActionsProcessor(deps.services),
    'log-ingest': logIngestProcessor(deps.services),
    maintenance: maintenanceProcessor(
      { db: deps.services.db, logRetentionDays: deps.logRetentionDays, deletedLogRetentionDays: deps.deletedLogRetentionDays, now: deps.services.now },
      { reconcile: () => reconcileJobs(deps.services), sweepTimeouts: () => sweepTimeouts(deps.services) },
    ),
  };
}
