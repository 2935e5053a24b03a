import { addOwner, removeOwner } from '../../db/deployments-repo.js';
import { findUserById } from '../../db/users-repo.js';
import { DEPLOYMENT_STATUS as S } from '../../domain/deployment-status.js';
import { DEPLOYMENT_TASK as T } from '../../domain/deployment-task.js';
import { ALLOWED_FROM } from '../../domain/deployment-rules.js';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.js';
import type { Services } from '../services.js';
import { visibleDeployment, type Caller } from './access.js';
import { assertAllowed, conflictAfterRace } from './check-request.js';
import { enqueueOperation } from './enqueue-operation.js';
import { changeDeployment } from './change-deployment.js';

type Change = 'added' | 'removed' | 'unchanged';

async function startOwnersUpdate(s: Services, caller: Caller, id: string, opSeq: number, previous: number): Promise<void> {
  const moved = await changeDeployment(s, id, { opSeq, statuses: ALLOWED_FROM.owners }, {
    status: S.UPDATE_IN_PROGRESS,
    previousStatus: previous,
    task: T.updating_owners,
    opSeq: opSeq + 1,
    pollCount: 0,
    deadlineAt: new Date(s.now().getTime() + 60 * 60_000),
    accessTokenEncrypted: await s.secrets.seal(caller.identity.accessToken),
    updatedBy: caller.userId,
  });
  if (!moved) throw conflictAfterRace();
  await enqueueOperation(s.queue, 'owners', id, opSeq + 1);
}

/** Admins add an owner; the worker installs their SSH key (UPDATE_IN_PROGRESS, then back). */
export async function addDeploymentOwner(s: Services, caller: Caller, id: string, userId: string): Promise<Change> {
  if (!caller.identity.isAdmin) throw new ForbiddenError('Only admins may change the owners of a deployment');
  const row = await visibleDeployment(s.db, caller, id);
  if (!(await findUserById(s.db, userId))) throw new ValidationError(`User ${userId} does not exist`, [{ loc: ['body', 'id'], msg: 'no such user' }]);
  assertAllowed('owners', row.status);
  if (!(await addOwner(s.db, id, userId, row.createdAt))) return 'unchanged';
  await startOwnersUpdate(s, caller, id, row.opSeq, row.status);
  s.logs.publish(id, `owner ${userId} added by user ${caller.userId}`);
  return 'added';
}

/** Admins remove an owner (never the last one); the worker removes their key. */
export async function removeDeploymentOwner(s: Services, caller: Caller, id: string, userId: string): Promise<Change> {
  if (!caller.identity.isAdmin) throw new ForbiddenError('Only admins may change the owners of a deployment');
  const row = await visibleDeployment(s.db, caller, id);
  assertAllowed('owners', row.status);
  const outcome = await removeOwner(s.db, id, userId);
  if (outcome === 'not-owner') return 'unchanged';
  if (outcome === 'last-owner') throw new ConflictError('A deployment keeps at least one owner', { owner: userId });
  await startOwnersUpdate(s, caller, id, row.opSeq, row.status);
  s.logs.publish(id, `owner ${userId} removed by user ${caller.userId}`);
  return 'removed';
}
