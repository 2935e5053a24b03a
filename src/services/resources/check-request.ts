import type { DeploymentRow } from '../../db/deployments-repo.js';
import type { ResourceRow } from '../../db/resources-repo.js';
import { deploymentStatusName } from '../../domain/deployment-status.js';
import { checkResourceRequest, COMPUTE_TYPE, DEPLOYMENT_BLOCKS_RESOURCE_REQUESTS, isActionable, type ResourceRequest } from '../../domain/resource-actions.js';
import { resourceStatusName } from '../../domain/resource-status.js';
import { ConflictError, ValidationError } from '../errors.js';

/** 409 while the deployment is being deleted or is gone. */
export function assertDeploymentAllows(d: DeploymentRow, request: ResourceRequest): void {
  if (DEPLOYMENT_BLOCKS_RESOURCE_REQUESTS.includes(d.status)) {
    const status = deploymentStatusName(d.status);
    throw new ConflictError(`Cannot ${request.replace('-', ' ')} a resource of a deployment in status ${status}`, { deployment_status: status });
  }
}

/** 422 for a resource the IM cannot act on (not a compute node, or no VM yet). */
export function assertActionable(r: ResourceRow): void {
  if (!isActionable(r)) {
    const compute = r.toscaNodeType === COMPUTE_TYPE || r.typeAncestry.includes(COMPUTE_TYPE);
    const why = compute ? 'it has no IM VM yet' : `${r.toscaNodeType} is not a ${COMPUTE_TYPE}`;
    throw new ValidationError(`Resource ${r.id} cannot be started, stopped or rebooted: ${why}`, [{ loc: ['path', 'id'], msg: 'not a compute resource with a VM' }]);
  }
}

/** 409 naming the current status and the allowed ones, or the action already running. */
export function assertResourceAllows(r: ResourceRow, request: ResourceRequest): void {
  if (request !== 'reset-status' && r.action !== null) {
    throw new ConflictError(`Resource ${r.id} is already running ${r.action}; wait for it to end or reset its status`, { current_status: resourceStatusName(r.status), action: r.action });
  }
  const verdict = checkResourceRequest(request, r.status);
  if (!verdict.ok) {
    throw new ConflictError(`Cannot ${request.replace('-', ' ')} a resource in status ${verdict.current}; allowed from ${verdict.allowed.join(', ')}`, {
      current_status: verdict.current,
      allowed: verdict.allowed,
    });
  }
}

/** The write lost a race with another request. */
export function resourceConflictAfterRace(): ConflictError {
  return new ConflictError('The resource changed while the request was processed; retry it');
}
