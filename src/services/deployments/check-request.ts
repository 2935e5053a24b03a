import { checkRequest, type DeploymentRequest } from '../../domain/deployment-rules.js';
import { deploymentStatusName } from '../../domain/deployment-status.js';
import { ConflictError } from '../errors.js';

/** 409 naming the current status and the ones the request is allowed from (`status` stays the HTTP code). */
export function assertAllowed(request: DeploymentRequest, status: number): void {
  const verdict = checkRequest(request, status);
  if (!verdict.ok) {
    throw new ConflictError(`Cannot ${request.replace('-', ' ')} a deployment in status ${deploymentStatusName(status)}; allowed from ${verdict.allowed.join(', ')}`, {
      current_status: verdict.current,
      allowed: verdict.allowed,
    });
  }
}

/** The write lost a race with another request: same answer as if it had come second. */
export function conflictAfterRace(): ConflictError {
  return new ConflictError('The deployment changed while the request was processed; retry it');
}
