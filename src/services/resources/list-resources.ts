import { listResources as listRows, type ResourceFilters, type ResourceSortField } from '../../db/resources-repo.js';
import type { Database } from '../../db/database.js';
import { visibleDeployment, type Caller } from '../deployments/access.js';
import { toResourceView, type ResourceView } from './resource-view.js';

export type { ResourceFilters, ResourceSortField };

/** A page of a visible deployment's resources. */
export async function listResources(
  db: Database,
  caller: Caller,
  deploymentId: string,
  filters: ResourceFilters,
  page: { limit: number; offset: number; sort: { field: ResourceSortField; direction: 'asc' | 'desc' } },
): Promise<{ rows: ResourceView[]; total: number }> {
  const deployment = await visibleDeployment(db, caller, deploymentId);
  const { rows, total } = await listRows(db, deploymentId, filters, page);
  return { rows: rows.map((r) => toResourceView(r, deployment.createdBy)), total };
}
