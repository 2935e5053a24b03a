import { inProgressDeployments, overdueDeployments, resourcesWithAction, type RunningDeployment } from '../../db/maintenance-repo.js';
import { runningOperation } from '../../domain/deployment-rules.js';
import { RESOURCE_ACTIONS, type ResourceAction } from '../../domain/resource-actions.js';
import type { EnsureOutcome } from '../../queue/job-queue.js';
import { ensureOperation } from '../deployments/enqueue-operation.js';
import { ensureResourceAction } from '../resources/enqueue-action.js';
import type { Services } from '../services.js';

/** Rows per database page and per burst of Redis checks. */
const BATCH = 500;

export type EnsureCounts = Record<EnsureOutcome, number>;

const zero = (): EnsureCounts => ({ present: 0, added: 0, readded: 0, promoted: 0 });

async function ensureDeployments(s: Services, rows: RunningDeployment[], counts: EnsureCounts, promote: boolean): Promise<void> {
  const outcomes = await Promise.all(
    rows.map((d) => {
      const op = runningOperation(d.status, d.previousStatus);
      return op ? ensureOperation(s.queue, op, d.id, d.opSeq, promote) : undefined;
    }),
  );
  for (const o of outcomes) if (o) counts[o] += 1;
}

/**
 * Every running operation and resource action gets its job back if Redis lost it (a restart
 * without persistence, a crash between the commit and the enqueue) or it ended while the row
 * still says running. Job ids are deterministic, so a job that exists is left alone.
 */
export async function reconcileJobs(s: Services): Promise<{ deployments: EnsureCounts; resources: EnsureCounts }> {
  const deployments = zero();
  for (let after: string | null = null; ; ) {
    const rows = await inProgressDeployments(s.db, after, BATCH);
    await ensureDeployments(s, rows, deployments, false);
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  const resources = zero();
  for (let after: string | null = null; ; ) {
    const rows = await resourcesWithAction(s.db, after, BATCH);
    const outcomes = await Promise.all(
      rows
        .filter((r) => (RESOURCE_ACTIONS as readonly string[]).includes(r.action))
        .map((r) => ensureResourceAction(s, r.deploymentId, r.id, r.action as ResourceAction, r.actionSeq)),
    );
    for (const o of outcomes) resources[o] += 1;
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  if (deployments.added + deployments.readded + resources.added + resources.readded > 0) {
    s.logger.warn({ deployments, resources }, 'reconcile put back missing jobs');
  }
  return { deployments, resources };
}

/**
 * The backstop of the deadlines the worker enforces at each step: an overdue operation whose job
 * waits in a long delay runs now, and one whose job vanished gets it back; the worker then fails
 * over or fails the deployment.
 */
export async function sweepTimeouts(s: Services): Promise<EnsureCounts> {
  const counts = zero();
  const rows = await overdueDeployments(s.db, s.now(), 5 * BATCH);
  for (let i = 0; i < rows.length; i += BATCH) await ensureDeployments(s, rows.slice(i, i + BATCH), counts, true);
  return counts;
}
