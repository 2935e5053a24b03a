import type { Logger } from '../../src/app-deps.js';
import type { ProcessorMap } from '../../src/queue/processor.js';
import { PermanentJobError } from '../../src/queue/processor.js';
import { maintenanceProcessor, type MaintenanceDeps } from './maintenance.js';

export interface ProcessorDeps extends MaintenanceDeps {
  logger: Logger;
}

/** The processor of each queue. Deployment, resource-action and log-ingest processing land with their engines. */
export function buildProcessors(deps: ProcessorDeps): ProcessorMap {
  const notYet = (queue: string) => async () => {
    throw new PermanentJobError(`${queue} processing is not available in this release`);
  };
  return {
    deployments: notYet('deployment'),
    'resource-actions': notYet('resource action'),
    'log-ingest': notYet('log ingest'),
    maintenance: maintenanceProcessor(deps),
  };
}
