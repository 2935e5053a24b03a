import { updateDeploymentIf, type DeploymentChanges, type DeploymentRow } from '../../db/deployments-repo.js';
import { announceStatus } from '../events/announce.js';
import type { Services } from '../services.js';

/**
 * The guarded update (see `updateDeploymentIf`) every verb and worker step goes through: when it
 * moves the status or the task, followers of the deployment's events hear of it.
 */
export async function changeDeployment(
  s: Pick<Services, 'db' | 'events' | 'logger'>,
  id: string,
  expect: { opSeq?: number; statuses?: readonly number[] },
  changes: DeploymentChanges,
): Promise<DeploymentRow | undefined> {
  const row = await updateDeploymentIf(s.db, id, expect, changes);
  if (row && (changes.status !== undefined || changes.task !== undefined)) await announceStatus(s, row);
  return row;
}
