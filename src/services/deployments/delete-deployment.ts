import { attemptsOf, deleteDeploymentRow, setResourcesStatus, type DeploymentRow } from '../../db/deployments-repo.js';
import { DEPLOYMENT_STATUS as S } from '../../domain/deployment-status.js';
import { DEPLOYMENT_TASK as T } from '../../domain/deployment-task.js';
import { ALLOWED_FROM } from '../../domain/deployment-rules.js';
import { RESOURCE_STATUS } from '../../domain/resource-status.js';
import { ForbiddenError } from '../errors.js';
import type { Services } from '../services.js';
import { visibleDeployment, type Caller } from './access.js';
import { assertAllowed, conflictAfterRace } from './check-request.js';
import { enqueueOperation } from './enqueue-operation.js';
import { imContext, providerNamed } from './im-context.js';
import { changeDeployment } from './change-deployment.js';
import { announceStatus } from '../events/announce.js';

/** How long the IM may take to delete before the deployment is DELETE_FAILED. */
const DELETE_TIMEOUT_MS = 60 * 60_000;

export interface DeleteFlags {
  force?: boolean;
  unsecure?: boolean;
}

/**
 * Deletes (cancelling a running create or update: the bumped operation number stops its job, and the
 * delete finds whatever it had created). `deleting` (202), `deleted` when nothing was ever on the IM,
 * `removed` for an admin force delete of the row.
 */
export async function deleteDeployment(s: Services, caller: Caller, id: string, flags: DeleteFlags): Promise<'deleting' | 'deleted' | 'removed'> {
  if ((flags.force || flags.unsecure) && !caller.identity.isAdmin) throw new ForbiddenError('Only admins may use force or unsecure');
  const row = await visibleDeployment(s.db, caller, id);
  if (flags.force) {
    await destroyEverywhere(s, caller, row);
    await deleteDeploymentRow(s.db, id);
    await announceStatus(s, { ...row, status: S.DELETE_COMPLETE, task: T.done, statusReason: 'removed by an admin (force)', updatedAt: s.now(), version: row.version + 1 });
    return 'removed';
  }
  assertAllowed('delete', row.status);
  const everOnIm = row.imInfraId !== null || (await attemptsOf(s.db, id)).length > 0;
  if (!everOnIm && row.status !== S.CREATE_IN_PROGRESS) {
    const done = await changeDeployment(s, id, { opSeq: row.opSeq, statuses: ALLOWED_FROM.delete }, {
      status: S.DELETE_COMPLETE,
      statusReason: null,
      task: T.done,
      opSeq: row.opSeq + 1,
      updatedBy: caller.userId,
    });
    if (!done) throw conflictAfterRace();
    await setResourcesStatus(s.db, id, RESOURCE_STATUS.DELETED);
    return 'deleted';
  }
  await startDelete(s, caller, id, row.opSeq, flags.unsecure ?? false);
  return 'deleting';
}

/** Best effort before the row goes: asks the IM to destroy every infrastructure the deployment may still own. */
async function destroyEverywhere(s: Services, caller: Caller, row: DeploymentRow): Promise<void> {
  const ids = new Map<string, { provider: string | null; project: string | null }>();
  for (const a of await attemptsOf(s.db, row.id)) if (a.imInfraId && !a.cleanedUp) ids.set(a.imInfraId, { provider: a.provider, project: a.project });
  if (row.imInfraId) ids.set(row.imInfraId, { provider: row.targetProvider, project: row.targetIaasProject });
  const asCaller = { ...row, accessTokenEncrypted: await s.secrets.seal(caller.identity.accessToken) };
  await Promise.all(
    [...ids].map(async ([infId, where]) => {
      const provider = providerNamed(s, where.provider);
      if (!provider) return;
      try {
        await s.im.destroyInfrastructure(await imContext(s, asCaller, provider, where.project), infId, { async: true, force: true });
      } catch (err) {
        s.logger.warn({ deploymentId: row.id, infId, err: (err as Error).message }, 'force delete: IM cleanup failed');
      }
    }),
  );
}

async function startDelete(s: Services, caller: Caller, id: string, fromOpSeq: number, unsecure: boolean): Promise<void> {
  const opSeq = fromOpSeq + 1;
  const moved = await changeDeployment(s, id, { opSeq: fromOpSeq, statuses: ALLOWED_FROM.delete }, {
    status: S.DELETE_IN_PROGRESS,
    statusReason: null,
    task: T.deleting_infrastructure,
    opSeq,
    pollCount: 0,
    unsecure,
    deadlineAt: new Date(s.now().getTime() + DELETE_TIMEOUT_MS),
    accessTokenEncrypted: await s.secrets.seal(caller.identity.accessToken),
    updatedBy: caller.userId,
  });
  if (!moved) throw conflictAfterRace();
  await setResourcesStatus(s.db, id, RESOURCE_STATUS.DELETING);
  await enqueueOperation(s.queue, 'delete', id, opSeq);
  s.logs.publish(id, `delete requested by user ${caller.userId}${unsecure ? ' (unsecure)' : ''}`);
}
