import { RESOURCE_ACTION_NAMES, ResourceActionJob, type ResourceActionName } from '../../src/queue/payloads.js';
import { PermanentJobError, type Processor } from '../../src/queue/processor.js';
import type { Services } from '../../src/services/services.js';
import { runActionStep } from './step.js';

const isAction = (name: string): name is ResourceActionName => (RESOURCE_ACTION_NAMES as readonly string[]).includes(name);

/** One step of a VM action per run: the IM call, then one VM poll per run until it settles (DeferJob). */
export function resourceActionsProcessor(s: Services): Processor {
  return async (job) => {
    const { deploymentId, resourceId, actionSeq } = ResourceActionJob.parse(job.data);
    if (!isAction(job.name)) throw new PermanentJobError(`unknown resource action ${job.name}`);
    return runActionStep(s, deploymentId, resourceId, actionSeq, job.name);
  };
}
