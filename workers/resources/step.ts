import { findDeployment, type DeploymentRow } from '../../src/db/deployments-repo.js';
import { findResource, updateResourceIf, type ResourceChanges, type ResourceRow } from '../../src/db/resources-repo.js';
import { judgeVmState, MAX_ACTION_POLLS, RESOURCE_ACTION_PLAN, type ResourceAction } from '../../src/domain/resource-actions.js';
import { RESOURCE_STATUS } from '../../src/domain/resource-status.js';
import { isImError, type ImCallContext, type VmInfo } from '../../src/im/index.js';
import { imContext, providerNamed, StepFailure } from '../../src/services/deployments/im-context.js';
import { vmMetadata } from '../../src/services/resources/vm-metadata.js';
import type { Services } from '../../src/services/services.js';
import { describe, isTransient, logStep, pollDelay, waitFor } from '../deployments/context.js';

interface Step {
  s: Services;
  row: ResourceRow;
  action: ResourceAction;
  guard: { actionSeq: number; statuses: readonly number[] };
}

/**
 * Runs one step of the action. `pollCount` 0 means the IM was not asked yet; every later run polls the
 * VM once. Every write is guarded by the action sequence, so a reset (or a newer request) wins.
 */
export async function runActionStep(s: Services, deploymentId: string, resourceId: string, actionSeq: number, action: ResourceAction): Promise<void> {
  const row = await findResource(s.db, deploymentId, resourceId);
  const plan = RESOURCE_ACTION_PLAN[action];
  if (!row || row.actionSeq !== actionSeq || row.action !== action || row.status !== plan.inProgress) return;
  const step: Step = { s, row, action, guard: { actionSeq, statuses: [plan.inProgress] } };
  const deployment = await findDeployment(s.db, deploymentId);
  let target: { ctx: ImCallContext; infId: string };
  try {
    target = await targetOf(s, deployment);
  } catch (err) {
    if (err instanceof StepFailure) return fail(step, err.message);
    throw err;
  }
  const { ctx, infId } = target;
  const vmId = String(row.imVmIdx);
  if (row.pollCount === 0) return callIm(step, ctx, infId, vmId);
  let vm: VmInfo;
  try {
    vm = await s.im.getVmInfo(ctx, infId, vmId);
  } catch (err) {
    if (!isImError(err)) throw err;
    if (isTransient(err) && row.pollCount < MAX_ACTION_POLLS) return pollAgain(step);
    return fail(step, `the IM could not report the VM after ${action}: ${describe(err)}`);
  }
  const verdict = judgeVmState(action, vm.state, row.pollCount - 1);
  if (verdict.kind === 'wait') return pollAgain(step);
  if (verdict.kind === 'failed') return fail(step, verdict.reason, vm);
  const done = await finish(step, { status: verdict.status, statusReason: null, metadata: vmMetadata(vm) });
  if (done) await logStep(s, deploymentId, `resource ${row.toscaNodeName} (VM ${vmId}) ${action}: ${done.status === RESOURCE_STATUS.STOPPED ? 'stopped' : 'started'}`);
}

/** The deployment's infrastructure and the IM call context of its user on its provider. */
async function targetOf(s: Services, deployment: DeploymentRow | undefined): Promise<{ ctx: ImCallContext; infId: string }> {
  if (!deployment?.imInfraId) throw new StepFailure('the deployment has no infrastructure on the IM');
  const provider = providerNamed(s, deployment.targetProvider);
  if (!provider) throw new StepFailure(`the deployment's provider ${deployment.targetProvider} is not configured`);
  return { ctx: await imContext(s, deployment, provider, deployment.targetIaasProject), infId: deployment.imInfraId };
}

/** The IM call itself; a transient error calls it again later, until the action's time is up. */
async function callIm(step: Step, ctx: ImCallContext, infId: string, vmId: string): Promise<void> {
  const { s, row, action } = step;
  try {
    if (action === 'start') await s.im.startVm(ctx, infId, vmId);
    else if (action === 'stop') await s.im.stopVm(ctx, infId, vmId);
    else await s.im.rebootVm(ctx, infId, vmId);
  } catch (err) {
    if (!isImError(err)) throw err;
    const deadline = (row.actionStartedAt?.getTime() ?? s.now().getTime()) + MAX_ACTION_POLLS * s.poll.maxMs;
    if (isTransient(err) && s.now().getTime() < deadline) waitFor(pollDelay(s, 1));
    return fail(step, `the IM refused to ${action} the VM: ${describe(err)}`);
  }
  if (await write(step, { pollCount: 1 })) {
    await logStep(s, row.deploymentId, `resource ${row.toscaNodeName} (VM ${vmId}): ${action} requested on the IM`);
    waitFor(pollDelay(s, 0));
  }
}

async function pollAgain(step: Step): Promise<void> {
  if (await write(step, { pollCount: step.row.pollCount + 1 })) waitFor(pollDelay(step.s, step.row.pollCount));
}

async function fail(step: Step, reason: string, vm?: VmInfo): Promise<void> {
  const done = await finish(step, { status: RESOURCE_STATUS.ERROR, statusReason: reason, ...(vm ? { metadata: vmMetadata(vm) } : {}) });
  if (done) await logStep(step.s, step.row.deploymentId, `resource ${step.row.toscaNodeName} ${step.action} failed: ${reason}`);
}

/** A guarded write: undefined when a reset or a newer request won. */
function write({ s, row, guard }: Step, changes: ResourceChanges) {
  return updateResourceIf(s.db, row.id, guard, changes);
}

/** The guarded write that ends the action. */
function finish(step: Step, changes: ResourceChanges) {
  return write(step, { ...changes, action: null, actionStartedAt: null, pollCount: 0 });
}
