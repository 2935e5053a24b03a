import { findDeploymentView } from '../../db/deployments-repo.js';
import type { Database } from '../../db/database.js';
import { NotFoundError } from '../errors.js';
import type { Caller } from './access.js';
import { toDeploymentView, type DeploymentView } from './deployment-view.js';

/** One round trip: the row comes with its owners, so the visibility rule (owner or admin) needs no second query. */
export async function getDeployment(db: Database, caller: Caller, id: string): Promise<DeploymentView> {
  const row = await findDeploymentView(db, id);
  if (!row || (!caller.identity.isAdmin && !row.ownedBy.includes(caller.userId))) throw new NotFoundError('Deployment', id);
  return toDeploymentView(row, row.ownedBy, row.attempts);
}
