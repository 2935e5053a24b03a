import { findDeployment, isOwner, type DeploymentRow } from '../../db/deployments-repo.js';
import type { Database } from '../../db/database.js';
import { NotFoundError } from '../errors.js';
import type { Identity } from '../identity.js';

export interface Caller {
  identity: Identity;
  userId: string;
}

/** The deployment if the caller may see it (an owner or an admin); otherwise 404, never revealing it exists. */
export async function visibleDeployment(db: Database, caller: Caller, id: string): Promise<DeploymentRow> {
  const row = await findDeployment(db, id);
  if (!row || (!caller.identity.isAdmin && !(await isOwner(db, id, caller.userId)))) throw new NotFoundError('Deployment', id);
  return row;
}
