import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from './database.js';
import { pagedQuery, type PageSpec } from './paged-query.js';
import { resources } from './schema.js';

export type ResourceRow = typeof resources.$inferSelect;

export interface ResourceFilters {
  /** Exact TOSCA type or any parent type. */
  type?: string;
  statuses?: number[];
  name?: string;
}

export const RESOURCE_SORT_FIELDS = {
  created_at: resources.createdAt,
  updated_at: resources.updatedAt,
  status: resources.status,
  name: resources.toscaNodeName,
  type: resources.toscaNodeType,
} as const;
export type ResourceSortField = keyof typeof RESOURCE_SORT_FIELDS;

function filtersToWhere(deploymentId: string, f: ResourceFilters): SQL {
  const parts: SQL[] = [eq(resources.deploymentId, deploymentId)];
  if (f.type !== undefined) parts.push(or(eq(resources.toscaNodeType, f.type), sql`${f.type} = any(${resources.typeAncestry})`)!);
  if (f.statuses?.length) parts.push(inArray(resources.status, f.statuses));
  if (f.name !== undefined) parts.push(eq(resources.toscaNodeName, f.name));
  return and(...parts)!;
}

export async function listResources(
  db: Database,
  deploymentId: string,
  filters: ResourceFilters,
  page: PageSpec<ResourceSortField>,
): Promise<{ rows: ResourceRow[]; total: number }> {
  return pagedQuery(db, resources, db.select().from(resources).$dynamic(), filtersToWhere(deploymentId, filters), page, RESOURCE_SORT_FIELDS, resources.id);
}

export function findResource(db: Database, deploymentId: string, id: string): Promise<ResourceRow | undefined> {
  return db
    .select()
    .from(resources)
    .where(and(eq(resources.id, id), eq(resources.deploymentId, deploymentId)))
    .limit(1)
    .then((r) => r[0]);
}

export type ResourceChanges = Partial<Pick<ResourceRow, 'status' | 'statusReason' | 'action' | 'actionSeq' | 'actionStartedAt' | 'pollCount' | 'metadata' | 'updatedBy'>>;

/**
 * Writes only when the resource is still where the caller saw it (same action sequence, one of the
 * expected statuses): a reset or a newer request wins over a stale job. Undefined when it lost.
 */
export async function updateResourceIf(
  db: Database,
  id: string,
  expect: { actionSeq: number; statuses?: readonly number[] },
  changes: ResourceChanges,
): Promise<ResourceRow | undefined> {
  const parts: SQL[] = [eq(resources.id, id), eq(resources.actionSeq, expect.actionSeq)];
  if (expect.statuses) parts.push(inArray(resources.status, [...expect.statuses]));
  const rows = await db
    .update(resources)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(...parts))
    .returning();
  return rows[0];
}
