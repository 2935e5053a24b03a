import type { AttemptRow, DeploymentRow } from '../../src/db/deployments-repo.js';
import { isImError, type ImCallContext } from '../../src/im/index.js';
import type { Services } from '../../src/services/services.js';
import { DEPLOYMENT_TAG, describe, isTransient, logStep, pollDelay, waitFor } from './context.js';

/**
 * Before a create ends, destroys every infrastructure the IM lists under the deployment's tag except
 * the one it keeps: a failed attempt whose destroy did not get through, or a second infrastructure from
 * two runs of the same step (a job put back after Redis lost it, or a stalled job picked up while its
 * first worker was still in the IM call). Waits and runs again when the IM does not answer.
 */
export async function destroyStrays(s: Services, row: DeploymentRow, attempts: AttemptRow[], ctx: ImCallContext, keep: string | null): Promise<void> {
  // Failed attempts whose destroy the IM accepted may still be listed while it deletes them.
  const destroyed = new Set(attempts.filter((a) => a.cleanedUp && a.imInfraId).map((a) => a.imInfraId));
  let strays: string[];
  try {
    strays = (await s.im.listInfrastructures(ctx, { filter: `${DEPLOYMENT_TAG}: ['"]?${row.id}` })).filter((id) => id !== keep && !destroyed.has(id));
  } catch (err) {
    if (isTransient(err)) waitFor(pollDelay(s, 0));
    s.logger.warn({ deploymentId: row.id, err: describe(err) }, 'stray infrastructures not looked up');
    return;
  }
  for (const infId of strays) {
    try {
      await s.im.destroyInfrastructure(ctx, infId, { async: true });
      logStep(s, row.id, `destroyed stray infrastructure ${infId}`);
    } catch (err) {
      if (isImError(err) && err.kind === 'not_found') continue;
      // A conflict: the stray's create is still adding VMs, and it can be destroyed once that ends.
      if (isTransient(err) || (isImError(err) && err.kind === 'conflict')) waitFor(pollDelay(s, 0));
      s.logger.warn({ deploymentId: row.id, infId, err: describe(err) }, 'stray infrastructure not destroyed');
    }
  }
}
