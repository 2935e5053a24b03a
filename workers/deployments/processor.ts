import { DeploymentJob } from '../../src/queue/payloads.js';
import type { Processor } from '../../src/queue/processor.js';
import { deliverCallback, enqueueCallbackIfFinal } from '../../src/services/legacy/callback.js';
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
        await runCreate(s, deploymentId, opSeq);
        return enqueueCallbackIfFinal(s, deploymentId, opSeq);
      case 'delete':
        await runDelete(s, deploymentId, opSeq);
        return enqueueCallbackIfFinal(s, deploymentId, opSeq);
      case 'update':
        await runUpdate(s, deploymentId, opSeq, job.name);
        return enqueueCallbackIfFinal(s, deploymentId, opSeq);
      case 'owners':
        return runUpdate(s, deploymentId, opSeq, job.name);
      case 'callback':
        return deliverCallback(s, deploymentId);
    }
  };
}
