import type { ProcessorMap } from '../../src/queue/processor.js';
import { PermanentJobError } from '../../src/queue/processor.js';
import type { Services } from '../../src/services/services.js';
import { deploymentsProcessor } from '../deployments/processor.js';
import { resourceActionsProcessor } from '../resources/processor.js';
import { reconcileJobs, sweepTimeouts } from '../../src/services/maintenance/reconcile.js';
import { maintenanceProcessor } from './maintenance.js';

export interface ProcessorDeps {
  services: Services;
  logRetentionDays: number;
}

/** The processor of each queue. Resource-action and log-ingest processing land with their engines. */
export function buildProcessors(deps: ProcessorDeps): ProcessorMap {
  const notYet = (queue: string) => async () => {
    throw new PermanentJobError(`${queue} processing is not available in this release`);
  };
  return {
    deployments: deploymentsProcessor(deps.services),
    'resource-actions': resourceActionsProcessor(deps.services),
    'log-ingest': notYet('log ingest'),
    maintenance: maintenanceProcessor(
      { db: deps.services.db, logRetentionDays: deps.logRetentionDays, now: deps.services.now },
      { reconcile: () => reconcileJobs(deps.services), sweepTimeouts: () => sweepTimeouts(deps.services) },
    ),
  };
}
