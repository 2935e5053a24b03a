import {
  attemptsOf,
  claimAttemptInfra,
  findDeployment,
  insertAttempt,
  updateAttempt,
  type AttemptRow,
  type DeploymentRow,
} from '../../src/db/deployments-repo.js';
import { DEPLOYMENT_STATUS as S } from '../../src/domain/deployment-status.js';
import { DEPLOYMENT_TASK as T } from '../../src/domain/deployment-task.js';
import { nextProvider } from '../../src/domain/provider-plan.js';
import { rankProviders, type ProviderChoice } from '../../src/domain/provider-registry.js';
import { classifyDeployState, isImError, type ImCallContext } from '../../src/im/index.js';
import type { Services } from '../../src/services/services.js';
import { captureImLog } from '../../src/services/logs/im-log.js';
import { requestImSnapshot } from '../../src/services/logs/request-im-snapshot.js';
import { collectInfrastructure } from './collect.js';
import { ATTEMPT_TAG, DEPLOYMENT_TAG, attemptTag, describe, imContext, isTransient, logStep, pollDelay, providerNamed, renderTemplate, StepFailure, waitFor } from './context.js';
import { changeDeployment } from '../../src/services/deployments/change-deployment.js';
import { destroyStrays } from './sweep-strays.js';

const DEFAULT_RETRIES = 3;
const guard = (row: DeploymentRow) => ({ opSeq: row.opSeq, statuses: [S.CREATE_IN_PROGRESS] });

function ranked(s: Services, row: DeploymentRow): ProviderChoice[] {
  return rankProviders(s.providers, { provider: row.requestedProvider ?? undefined, region: row.requestedRegion ?? undefined, userGroup: row.userGroup ?? undefined });
}

function plan(s: Services, row: DeploymentRow, attempts: AttemptRow[]) {
  return nextProvider(ranked(s, row), { perProviderMaxRetries: row.perProviderMaxRetries ?? DEFAULT_RETRIES, maxProviders: row.maxProviders, attempts });
}

function history(attempts: AttemptRow[]): string {
  return attempts.map((a) => `${a.provider}/${a.region ?? '-'} (attempt ${a.seq}): ${a.error ?? a.outcome ?? 'unfinished'}`).join('; ');
}

/** Drives one create operation a step at a time; returns when it is final, throws DeferJob to wait. */
export async function runCreate(s: Services, deploymentId: string, opSeq: number): Promise<void> {
  for (;;) {
    const row = await findDeployment(s.db, deploymentId);
    if (!row || row.opSeq !== opSeq || row.status !== S.CREATE_IN_PROGRESS) return; // cancelled, reset or superseded
    const attempts = await attemptsOf(s.db, deploymentId);
    const open = attempts.find((a) => a.finishedAt === null);
    if (row.deadlineAt && s.now() > row.deadlineAt) {
      if (open) await failAttempt(s, row, attempts, open, 'timeout', `the total timeout of ${row.totTimeoutMins} min was reached`, true);
      await finish(s, row, S.CREATE_FAILED, `Total timeout of ${row.totTimeoutMins} min reached. Tried: ${history(await attemptsOf(s.db, deploymentId)) || 'nothing'}`);
      return;
    }
    if (!open) {
      const next = plan(s, row, attempts);
      if (!next) {
        const reason = attempts.length ? `Every provider failed: ${history(attempts)}` : 'No provider is usable by the deployment';
        await destroyStraysOfLastAttempt(s, row, attempts);
        await finish(s, row, S.CREATE_FAILED, reason);
        return;
      }
      const seq = attempts.length + 1;
      await insertAttempt(s.db, { deploymentId, seq, provider: next.provider.name, region: next.region.name, project: next.project, startedAt: s.now() });
      const moved = await changeDeployment(s, deploymentId, guard(row), {
        targetProvider: next.provider.name,
        targetRegion: next.region.name,
        targetIaasProject: next.project,
        imInfraId: null,
        task: T.creating_infrastructure,
        pollCount: 0,
      });
      if (!moved) return;
      logStep(s, deploymentId, `attempt ${seq}: deploying on ${next.provider.name}/${next.region.name}`);
      continue;
    }
    const provider = providerNamed(s, open.provider);
    if (!provider) {
      await failAttempt(s, row, attempts, open, 'error', `provider ${open.provider} is no longer in the registry`);
      continue;
    }
    let ctx: ImCallContext;
    try {
      ctx = await imContext(s, row, provider, open.project);
    } catch (err) {
      if (!(err instanceof StepFailure)) throw err;
      // Without a usable token no provider can work: stop instead of looping through them.
      await failAttempt(s, row, attempts, open, 'error', err.message, true);
      await finish(s, row, S.CREATE_FAILED, `Cannot deploy: ${err.message}`);
      return;
    }
    if (!open.imInfraId) {
      await launch(s, row, attempts, open, ctx);
      continue;
    }
    const done = await poll(s, row, attempts, open, ctx);
    if (done) return;
  }
}

/**
 * Creates the attempt's infrastructure, or adopts it when an earlier run already did (the IM may have
 * created it although the call failed or the worker died): the tag lookup comes first, always.
 */
async function launch(s: Services, row: DeploymentRow, attempts: AttemptRow[], open: AttemptRow, ctx: ImCallContext): Promise<void> {
  const tag = attemptTag(row.id, open.seq);
  let infId: string;
  try {
    const found = await s.im.listInfrastructures(ctx, { filter: `${tag}(?![0-9])` });
    if (found[0]) {
      infId = found[0];
      logStep(s, row.id, `attempt ${open.seq}: adopted infrastructure ${infId} found on the IM`);
    } else {
      const provider = providerNamed(s, open.provider)!;
      const tosca = await renderTemplate(s, row, provider, open.region, { [DEPLOYMENT_TAG]: row.id, [ATTEMPT_TAG]: tag });
      infId = (await s.im.createInfrastructure(ctx, tosca, { async: true })).infId;
      logStep(s, row.id, `attempt ${open.seq}: IM infrastructure ${infId} created`);
    }
  } catch (err) {
    if (isImError(err) && err.outcomeUnknown) {
      // The IM may still be creating it: give it time to show up before the next run looks it up.
      logStep(s, row.id, `attempt ${open.seq}: create outcome unknown (${describe(err)}); looking it up before trying again`);
      waitFor(s.poll.maxMs);
    }
    if (isTransient(err)) waitFor(pollDelay(s, 0)); // the next run looks the infrastructure up again
    if (err instanceof StepFailure || isImError(err)) {
      await failAttempt(s, row, attempts, open, 'error', describe(err));
      return;
    }
    throw err;
  }
  const recorded = await claimAttemptInfra(s.db, row.id, open.seq, infId);
  if (recorded !== infId) {
    // Another run of this step (a job put back while the first still ran) recorded its infrastructure first.
    logStep(s, row.id, `attempt ${open.seq}: infrastructure ${infId} duplicates ${recorded}; destroying it`);
    await s.im.destroyInfrastructure(ctx, infId, { async: true }).catch(() => undefined); // else the sweep before the create ends does
    return;
  }
  const moved = await changeDeployment(s, row.id, guard(row), { imInfraId: infId, task: T.waiting_for_infrastructure, pollCount: 0 });
  if (!moved) {
    // Cancelled or reset meanwhile: whoever took over may not know this infrastructure yet.
    await s.im.destroyInfrastructure(ctx, infId, { async: true }).catch(() => undefined);
    return;
  }
  waitFor(pollDelay(s, 0));
}

/** One look at the IM state; true when the operation is final. */
async function poll(s: Services, row: DeploymentRow, attempts: AttemptRow[], open: AttemptRow, ctx: ImCallContext): Promise<boolean> {
  const infId = open.imInfraId!;
  let state;
  try {
    state = await s.im.getState(ctx, infId);
  } catch (err) {
    if (isImError(err) && err.kind === 'not_found') {
      await failAttempt(s, row, attempts, open, 'error', `infrastructure ${infId} disappeared from the IM`);
      return false;
    }
    if (isTransient(err)) {
      // The per-provider timeout holds while the IM keeps failing too, else the attempt waits forever.
      if (attemptTimedOut(s, row, open)) {
        await failAttempt(s, row, attempts, open, 'timeout', `not configured within ${row.perProviderTimeoutMins} min (last error ${describe(err)})`);
        return false;
      }
      waitFor(pollDelay(s, row.pollCount));
    }
    if (isImError(err)) {
      await failAttempt(s, row, attempts, open, 'error', describe(err));
      return false;
    }
    throw err;
  }
  const verdict = classifyDeployState(state.state);
  if (verdict === 'success') {
    await destroyStrays(s, row, attempts, ctx, infId);
    await changeDeployment(s, row.id, guard(row), { task: T.collecting_resources });
    const outputs = await collectInfrastructure(s, row.id, ctx, infId);
    await updateAttempt(s.db, row.id, open.seq, { finishedAt: s.now(), outcome: 'success' });
    await finish(s, row, S.CREATE_COMPLETE, null, { templateOutputs: outputs, imInfraId: infId });
    await requestImSnapshot(s, row.id, row.opSeq);
    return true;
  }
  if (verdict === 'failure') {
    await failAttempt(s, row, attempts, open, 'failed', `the IM reports the infrastructure ${state.state}`);
    return false;
  }
  if (attemptTimedOut(s, row, open)) {
    await failAttempt(s, row, attempts, open, 'timeout', `not configured within ${row.perProviderTimeoutMins} min (last state ${state.state})`);
    return false;
  }
  await changeDeployment(s, row.id, guard(row), { pollCount: row.pollCount + 1 });
  await requestImSnapshot(s, row.id);
  waitFor(pollDelay(s, row.pollCount));
}

/** A create that failed everywhere keeps at most the infrastructure of its last attempt (keep_last_attempt). */
async function destroyStraysOfLastAttempt(s: Services, row: DeploymentRow, attempts: AttemptRow[]): Promise<void> {
  const last = attempts.at(-1);
  const provider = last && providerNamed(s, last.provider);
  if (!last || !provider) return;
  let ctx: ImCallContext;
  try {
    ctx = await imContext(s, row, provider, last.project);
  } catch (err) {
    if (err instanceof StepFailure) return;
    throw err;
  }
  await destroyStrays(s, row, attempts, ctx, row.keepLastAttempt ? row.imInfraId : null);
}

function attemptTimedOut(s: Services, row: DeploymentRow, open: AttemptRow): boolean {
  return s.now().getTime() - open.startedAt.getTime() > (row.perProviderTimeoutMins ?? 1440) * 60_000;
}

/**
 * Records why an attempt failed and destroys its infrastructure, unless it is the last attempt and
 * the user asked to keep it.
 */
async function failAttempt(s: Services, row: DeploymentRow, attempts: AttemptRow[], open: AttemptRow, outcome: string, error: string, last = false): Promise<void> {
  const closed = attempts.map((a) => (a.seq === open.seq ? { ...a, finishedAt: s.now() } : a));
  const isLast = last || plan(s, row, closed) === undefined;
  const keep = isLast && row.keepLastAttempt && open.imInfraId !== null;
  let cleanedUp = false;
  await keepImLogOf(s, row, open);
  if (open.imInfraId && !keep) {
    await changeDeployment(s, row.id, guard(row), { task: T.cleaning_failed_attempt });
    cleanedUp = await destroyQuietly(s, row, open);
  }
  await updateAttempt(s.db, row.id, open.seq, { finishedAt: s.now(), outcome, error, cleanedUp });
  await changeDeployment(s, row.id, guard(row), { task: T.choosing_provider, imInfraId: keep ? open.imInfraId : null, pollCount: 0 });
  logStep(s, row.id, `attempt ${open.seq} on ${open.provider}/${open.region ?? '-'} failed: ${error}${keep ? ' (infrastructure kept)' : ''}`);
}

/** The IM log of a failed attempt, stored before its infrastructure goes: it tells the user why. */
async function keepImLogOf(s: Services, row: DeploymentRow, a: AttemptRow): Promise<void> {
  const provider = providerNamed(s, a.provider);
  if (!provider || !a.imInfraId) return;
  try {
    await captureImLog(s, row, await imContext(s, row, provider, a.project), a.imInfraId);
  } catch (err) {
    s.logger.warn({ deploymentId: row.id, infId: a.imInfraId, err: describe(err) }, 'IM log of a failed attempt not stored');
  }
}

async function destroyQuietly(s: Services, row: DeploymentRow, a: AttemptRow): Promise<boolean> {
  const provider = providerNamed(s, a.provider);
  if (!provider || !a.imInfraId) return false;
  try {
    const ctx = await imContext(s, row, provider, a.project);
    await s.im.destroyInfrastructure(ctx, a.imInfraId, { async: true });
    return true;
  } catch (err) {
    if (isImError(err) && err.kind === 'not_found') return true;
    // Left for the delete of the deployment (it destroys every attempt not cleaned up).
    s.logger.warn({ deploymentId: row.id, infId: a.imInfraId, err: describe(err) }, 'failed attempt not destroyed');
    return false;
  }
}

async function finish(s: Services, row: DeploymentRow, status: number, reason: string | null, extra: { templateOutputs?: Record<string, unknown>; imInfraId?: string } = {}): Promise<void> {
  const done = await changeDeployment(s, row.id, guard(row), { status, statusReason: reason, task: T.done, ...extra });
  if (done) logStep(s, row.id, status === S.CREATE_COMPLETE ? 'deployment complete' : `deployment failed: ${reason}`);
}
