import { attemptsOf, findDeployment, setResourcesStatus, updateAttempt, type AttemptRow, type DeploymentRow } from '../../src/db/deployments-repo.js';
import { DEPLOYMENT_STATUS as S } from '../../src/domain/deployment-status.js';
import { DEPLOYMENT_TASK as T } from '../../src/domain/deployment-task.js';
import { RESOURCE_STATUS } from '../../src/domain/resource-status.js';
import { isImError, type ImCallContext } from '../../src/im/index.js';
import type { Services } from '../../src/services/services.js';
import { DEPLOYMENT_TAG, describe, imContext, isTransient, logStep, pollDelay, providerNamed, StepFailure, waitFor } from './context.js';
import { changeDeployment } from '../../src/services/deployments/change-deployment.js';

const guard = (row: DeploymentRow) => ({ opSeq: row.opSeq, statuses: [S.DELETE_IN_PROGRESS] });

interface Target {
  infId: string;
  ctx: ImCallContext;
  attempt?: AttemptRow;
}

/**
 * Every infrastructure the deployment may own on the IM: the current one, attempts not cleaned up, and
 * whatever the IM lists under the deployment's tag (a create cut short by the cancel).
 */
async function targets(s: Services, row: DeploymentRow): Promise<Target[]> {
  const attempts = await attemptsOf(s.db, row.id);
  const contexts = new Map<string, ImCallContext>();
  const contextOf = async (provider: string | null, project: string | null) => {
    const p = providerNamed(s, provider);
    if (!p) return undefined;
    const key = `${p.name}/${project}`;
    if (!contexts.has(key)) contexts.set(key, await imContext(s, row, p, project));
    return contexts.get(key);
  };
  const out = new Map<string, Target>();
  for (const a of attempts) {
    const ctx = await contextOf(a.provider, a.project);
    if (!ctx) continue;
    if (a.imInfraId && !a.cleanedUp) out.set(a.imInfraId, { infId: a.imInfraId, ctx, attempt: a });
  }
  const current = await contextOf(row.targetProvider, row.targetIaasProject);
  if (row.imInfraId && current && !out.has(row.imInfraId)) out.set(row.imInfraId, { infId: row.imInfraId, ctx: current });
  const anyCtx = current ?? contexts.values().next().value;
  if (anyCtx) {
    for (const infId of await s.im.listInfrastructures(anyCtx, { filter: `${DEPLOYMENT_TAG}: ['"]?${row.id}` })) {
      if (!out.has(infId)) out.set(infId, { infId, ctx: anyCtx });
    }
  }
  return [...out.values()];
}

/** Destroys everything the deployment owns on the IM and waits until the IM no longer knows it. */
export async function runDelete(s: Services, deploymentId: string, opSeq: number): Promise<void> {
  const row = await findDeployment(s.db, deploymentId);
  if (!row || row.opSeq !== opSeq || row.status !== S.DELETE_IN_PROGRESS) return;
  let list: Target[];
  try {
    list = await targets(s, row);
  } catch (err) {
    if (isTransient(err)) {
      // The deadline holds while the IM cannot even list the infrastructures, else the delete waits forever.
      if (row.deadlineAt && s.now() > row.deadlineAt) return giveUp(s, row, `the IM did not answer in time: ${describe(err)}`);
      waitFor(pollDelay(s, row.pollCount));
    }
    if (!(err instanceof StepFailure || isImError(err))) throw err;
    return giveUp(s, row, describe(err));
  }
  const remaining: Target[] = [];
  const destroying = row.task !== T.waiting_for_deletion;
  // A destroy call that failed transiently may never have reached the IM: call it again next run.
  let everyDestroyAccepted = true;
  for (const t of list) {
    let accepted = !destroying;
    try {
      if (destroying) {
        await s.im.destroyInfrastructure(t.ctx, t.infId, { async: true, force: row.unsecure });
        accepted = true;
      }
      await s.im.getState(t.ctx, t.infId);
      remaining.push(t);
    } catch (err) {
      if (isImError(err) && err.kind === 'not_found') {
        if (t.attempt) await updateAttempt(s.db, row.id, t.attempt.seq, { cleanedUp: true });
        continue;
      }
      if (isTransient(err)) {
        if (!accepted) everyDestroyAccepted = false;
        remaining.push(t);
        continue;
      }
      if (row.unsecure) continue;
      return giveUp(s, row, `the IM refused to delete ${t.infId}: ${describe(err)}`);
    }
  }
  if (remaining.length && !row.unsecure) {
    if (row.deadlineAt && s.now() > row.deadlineAt) return giveUp(s, row, `the IM did not finish deleting ${remaining.map((t) => t.infId).join(', ')} in time`);
    const task = everyDestroyAccepted ? T.waiting_for_deletion : row.task;
    await changeDeployment(s, row.id, guard(row), { ...(task !== row.task ? { task } : {}), pollCount: row.pollCount + 1 });
    if (destroying && everyDestroyAccepted) logStep(s, row.id, `deleting ${remaining.map((t) => t.infId).join(', ')} on the IM`);
    waitFor(pollDelay(s, row.pollCount));
  }
  await setResourcesStatus(s.db, row.id, RESOURCE_STATUS.DELETED);
  const done = await changeDeployment(s, row.id, guard(row), { status: S.DELETE_COMPLETE, statusReason: null, task: T.done, imInfraId: null });
  if (done) logStep(s, row.id, 'deployment deleted');
}

async function giveUp(s: Services, row: DeploymentRow, reason: string): Promise<void> {
  if (row.unsecure) {
    await setResourcesStatus(s.db, row.id, RESOURCE_STATUS.DELETED);
    await changeDeployment(s, row.id, guard(row), { status: S.DELETE_COMPLETE, statusReason: `deleted without IM confirmation: ${reason}`, task: T.done });
    return;
  }
  const done = await changeDeployment(s, row.id, guard(row), { status: S.DELETE_FAILED, statusReason: reason, task: T.done });
  if (done) logStep(s, row.id, `delete failed: ${reason}`);
}
