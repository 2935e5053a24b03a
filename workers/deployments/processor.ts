import { DeploymentJob } from '../../src/queue/payloads.js';
import type { Processor } from '../../src/queue/processor.js';
import type { Services } from '../../src/services/services.js';
import { runCreate } from './create.js';
import { runDelete } from './delete.js';
import { runUpdate } from './update.js';

/** One step of a deployment operation per run; waiting re-schedules the same job (DeferJob). */
export function deploymentsProcessor(s: Services): Processor {
  return async (job) => {
    const { deploymentId, opSeq } = DeploymentJob.parse(job.data);
    switch (job.name) {
      case 'create':
        return runCreate(s, deploymentId, opSeq);
      case 'delete':
        return runDelete(s, deploymentId, opSeq);
      case 'update':
      case 'owners':
        return runUpdate(s, deploymentId, opSeq, job.name);
    }
  };
}
