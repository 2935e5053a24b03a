import { DEPLOYMENT_STATUS as S } from '../../domain/deployment-status.js';
import { DEPLOYMENT_TASK as T } from '../../domain/deployment-task.js';
import { ALLOWED_FROM } from '../../domain/deployment-rules.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import type { Services } from '../services.js';
import { visibleDeployment, type Caller } from './access.js';
import { assertAllowed, conflictAfterRace } from './check-request.js';
import { checkInputs } from './create-deployment.js';
import { enqueueOperation } from './enqueue-operation.js';
import { changeDeployment } from './change-deployment.js';

export interface DeploymentPatch {
  userGroup?: string;
  templateInputs?: Record<string, unknown>;
}

/** Inputs redeploy on the same provider (202); a group change is bookkeeping only (admins, 204). */
export async function updateDeployment(s: Services, caller: Caller, id: string, patch: DeploymentPatch): Promise<'redeploying' | 'updated'> {
  const row = await visibleDeployment(s.db, caller, id);
  if (patch.userGroup !== undefined && patch.templateInputs !== undefined) {
    throw new ValidationError('Change either user_group or template_inputs, not both at once', [{ loc: ['body'], msg: 'give one of user_group, template_inputs' }]);
  }
  if (patch.userGroup !== undefined) {
    if (!caller.identity.isAdmin) throw new ForbiddenError('Only admins may change the group of a deployment');
    assertAllowed('change-group', row.status);
    const done = await changeDeployment(s, id, { opSeq: row.opSeq, statuses: ALLOWED_FROM['change-group'] }, { userGroup: patch.userGroup, updatedBy: caller.userId });
    if (!done) throw conflictAfterRace();
    return 'updated';
  }
  if (patch.templateInputs === undefined) throw new ValidationError('Nothing to change', [{ loc: ['body'], msg: 'give user_group or template_inputs' }]);
  assertAllowed('update', row.status);
  const merged = { ...(row.templateInputs as Record<string, unknown>), ...patch.templateInputs };
  const parsed = await s.tosca.parse(row.templateContent ?? '');
  if (!parsed.ok) throw new ValidationError('The stored template no longer parses', [{ loc: ['body', 'template_inputs'], msg: 'template invalid' }]);
  checkInputs(parsed.template, merged);
  const opSeq = row.opSeq + 1;
  const moved = await changeDeployment(s, id, { opSeq: row.opSeq, statuses: ALLOWED_FROM.update }, {
    templateInputs: merged,
    status: S.UPDATE_IN_PROGRESS,
    statusReason: null,
    task: T.updating_infrastructure,
    opSeq,
    pollCount: 0,
    deadlineAt: new Date(s.now().getTime() + (row.totTimeoutMins ?? 14_400) * 60_000),
    accessTokenEncrypted: await s.secrets.seal(caller.identity.accessToken),
    updatedBy: caller.userId,
  });
  if (!moved) throw conflictAfterRace();
  await enqueueOperation(s.queue, 'update', id, opSeq);
  s.logs.publish(id, `update requested by user ${caller.userId} (inputs: ${Object.keys(patch.templateInputs).join(', ') || 'none'})`);
  return 'redeploying';
}
