import { DEPLOYMENT_TASK as T } from '../../domain/deployment-task.js';
import { RESET_TARGET } from '../../domain/deployment-rules.js';
import { deploymentStatusName, type DeploymentStatus } from '../../domain/deployment-status.js';
import type { Services } from '../services.js';
import { visibleDeployment, type Caller } from './access.js';
import { assertAllowed, conflictAfterRace } from './check-request.js';
import { changeDeployment } from './change-deployment.js';

/** Moves a stuck in-progress deployment to its FAILED state; bumping the operation stops its job. */
export async function resetStatus(s: Services, caller: Caller, id: string, reason: string | null = 'status reset by a user'): Promise<void> {
  const row = await visibleDeployment(s.db, caller, id);
  assertAllowed('reset-status', row.status);
  const target = RESET_TARGET[row.status as DeploymentStatus]!;
  const done = await changeDeployment(s, id, { opSeq: row.opSeq, statuses: [row.status] }, {
    status: target,
    statusReason: reason,
    task: T.done,
    opSeq: row.opSeq + 1,
    updatedBy: caller.userId,
  });
  if (!done) throw conflictAfterRace();
  s.logs.publish(id, `status reset to ${deploymentStatusName(target)} by user ${caller.userId}`);
}
