import { updateResourceIf } from '../../db/resources-repo.js';
import { RESOURCE_ACTION_PLAN, type ResourceAction } from '../../domain/resource-actions.js';
import type { Caller } from '../deployments/access.js';
import type { Services } from '../services.js';
import { visibleResource } from './access.js';
import { assertActionable, assertDeploymentAllows, assertResourceAllows, resourceConflictAfterRace } from './check-request.js';
import { enqueueResourceAction } from './enqueue-action.js';

/**
 * Moves the resource to STARTING/STOPPING under a new action sequence, then enqueues the job. A lost
 * enqueue leaves `action` set, which the reconciler re-enqueues under the same job id.
 */
export async function runResourceAction(s: Services, caller: Caller, deploymentId: string, id: string, action: ResourceAction): Promise<void> {
  const { deployment, resource } = await visibleResource(s.db, caller, deploymentId, id);
  assertDeploymentAllows(deployment, action);
  assertActionable(resource);
  assertResourceAllows(resource, action);
  const actionSeq = resource.actionSeq + 1;
  const done = await updateResourceIf(s.db, id, { actionSeq: resource.actionSeq, statuses: [resource.status] }, {
    status: RESOURCE_ACTION_PLAN[action].inProgress,
    statusReason: null,
    action,
    actionSeq,
    actionStartedAt: s.now(),
    pollCount: 0,
    updatedBy: caller.userId,
  });
  if (!done) throw resourceConflictAfterRace();
  await enqueueResourceAction(s, deploymentId, id, action, actionSeq);
}
