import { updateResourceIf } from '../../db/resources-repo.js';
import { RESOURCE_STATUS } from '../../domain/resource-status.js';
import type { Caller } from '../deployments/access.js';
import type { Services } from '../services.js';
import { visibleResource } from './access.js';
import { assertDeploymentAllows, assertResourceAllows, resourceConflictAfterRace } from './check-request.js';

/** Forces the resource to ERROR; bumping the action sequence makes a running action's job stop without writing. */
export async function resetResourceStatus(s: Services, caller: Caller, deploymentId: string, id: string): Promise<void> {
  const { deployment, resource } = await visibleResource(s.db, caller, deploymentId, id);
  assertDeploymentAllows(deployment, 'reset-status');
  assertResourceAllows(resource, 'reset-status');
  const done = await updateResourceIf(s.db, id, { actionSeq: resource.actionSeq }, {
    status: RESOURCE_STATUS.ERROR,
    statusReason: 'status reset by a user',
    action: null,
    actionSeq: resource.actionSeq + 1,
    actionStartedAt: null,
    pollCount: 0,
    updatedBy: caller.userId,
  });
  if (!done) throw resourceConflictAfterRace();
}
