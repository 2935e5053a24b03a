import { findDeployment, ownerSshKeys, type DeploymentRow } from '../../src/db/deployments-repo.js';
import { DEPLOYMENT_STATUS as S } from '../../src/domain/deployment-status.js';
import { DEPLOYMENT_TASK as T } from '../../src/domain/deployment-task.js';
import { classifyDeployState, isImError } from '../../src/im/index.js';
import type { Services } from '../../src/services/services.js';
import { requestImSnapshot } from '../../src/services/logs/request-im-snapshot.js';
import { collectInfrastructure } from './collect.js';
import { DEPLOYMENT_TAG, describe, imContext, isTransient, logStep, pollDelay, providerNamed, renderTemplate, StepFailure, waitFor } from './context.js';
import { changeDeployment } from '../../src/services/deployments/change-deployment.js';

const guard = (row: DeploymentRow) => ({ opSeq: row.opSeq, statuses: [S.UPDATE_IN_PROGRESS] });

/**
 * Re-renders the template (new inputs, or the owners' SSH keys) and updates the infrastructure in place
 * on its provider; `owners` returns to the complete state the deployment was in.
 */
export async function runUpdate(s: Services, deploymentId: string, opSeq: number, kind: 'update' | 'owners'): Promise<void> {
  const row = await findDeployment(s.db, deploymentId);
  if (!row || row.opSeq !== opSeq || row.status !== S.UPDATE_IN_PROGRESS) return;
  const fail = async (reason: string) => {
    const done = await changeDeployment(s, row.id, guard(row), { status: S.UPDATE_FAILED, statusReason: reason, task: T.done });
    if (done) logStep(s, row.id, `update failed: ${reason}`);
    if (done && row.imInfraId) await requestImSnapshot(s, row.id, row.opSeq);
  };
  const provider = providerNamed(s, row.targetProvider);
  if (!provider || !row.imInfraId) return fail('the deployment has no infrastructure to update');
  const infId = row.imInfraId;
  try {
    const ctx = await imContext(s, row, provider, row.targetIaasProject);
    if (row.task !== T.waiting_for_infrastructure) {
      const tosca = await renderTemplate(s, row, provider, row.targetRegion, { [DEPLOYMENT_TAG]: row.id }, await ownerSshKeys(s.db, row.id));
      await s.im.updateInfrastructure(ctx, infId, tosca);
      await changeDeployment(s, row.id, guard(row), { task: T.waiting_for_infrastructure, pollCount: 0 });
      logStep(s, row.id, kind === 'owners' ? 'installing the owners’ SSH keys' : `updating infrastructure ${infId}`);
      waitFor(pollDelay(s, 0));
    }
    const state = await s.im.getState(ctx, infId);
    const verdict = classifyDeployState(state.state);
    if (verdict === 'failure') return fail(`the IM reports the infrastructure ${state.state}`);
    if (verdict !== 'success') {
      if (row.deadlineAt && s.now() > row.deadlineAt) return fail(`not configured in time (last state ${state.state})`);
      await changeDeployment(s, row.id, guard(row), { pollCount: row.pollCount + 1 });
      await requestImSnapshot(s, row.id);
      waitFor(pollDelay(s, row.pollCount));
    }
    const outputs = await collectInfrastructure(s, row.id, ctx, infId);
    const status = kind === 'owners' ? (row.previousStatus ?? S.UPDATE_COMPLETE) : S.UPDATE_COMPLETE;
    const done = await changeDeployment(s, row.id, guard(row), { status, statusReason: null, task: T.done, templateOutputs: outputs, previousStatus: null });
    if (done) logStep(s, row.id, 'update complete');
    if (done) await requestImSnapshot(s, row.id, row.opSeq);
  } catch (err) {
    if (isTransient(err)) {
      // The deadline holds while the IM keeps failing too, else the update waits forever.
      if (row.deadlineAt && s.now() > row.deadlineAt) return fail(`not updated in time: ${describe(err)}`);
      waitFor(pollDelay(s, row.pollCount));
    }
    if (err instanceof StepFailure || isImError(err)) return fail(describe(err));
    throw err;
  }
}
