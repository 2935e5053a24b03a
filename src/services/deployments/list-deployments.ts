import { listDeployments as listRows, ownersOfMany, type DeploymentFilters, type DeploymentSortField } from '../../db/deployments-repo.js';
import type { Database } from '../../db/database.js';
import { ForbiddenError } from '../errors.js';
import type { Caller } from './access.js';
import { toDeploymentView, type DeploymentView } from './deployment-view.js';

export type { DeploymentSortField };

export interface DeploymentListFilters extends Omit<DeploymentFilters, 'ownedBy' | 'createdBy'> {
  /** `me` or a user id; users may only ask for their own. */
  ownedBy?: string;
  createdBy?: string;
}

/** Users list what they own; admins everything (or one owner's, with owned_by). */
export async function listDeployments(
  db: Database,
  caller: Caller,
  filters: DeploymentListFilters,
  page: { limit: number; offset: number; sort: { field: DeploymentSortField; direction: 'asc' | 'desc' } },
): Promise<{ rows: DeploymentView[]; total: number }> {
  const me = (v: string | undefined) => (v === 'me' ? caller.userId : v);
  let ownedBy = me(filters.ownedBy);
  if (!caller.identity.isAdmin) {
    if (ownedBy !== undefined && ownedBy !== caller.userId) throw new ForbiddenError("Only admins may list other users' deployments");
    ownedBy = caller.userId;
  }
  const { rows, total } = await listRows(db, { ...filters, ownedBy, createdBy: me(filters.createdBy) }, page);
  const owners = await ownersOfMany(db, rows.map((r) => r.id));
  return { rows: rows.map((r) => toDeploymentView(r, owners.get(r.id) ?? [])), total };
}
