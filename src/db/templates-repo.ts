import { and, count, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from './database.js';
import { deployments, templates } from './schema.js';
import { pagedQuery, type PageSpec } from './paged-query.js';
import { FOREIGN_KEY_VIOLATION, pgErrorCode } from './pg-errors.js';

export type TemplateRow = typeof templates.$inferSelect;
export type NewTemplate = Pick<
  typeof templates.$inferInsert,
  'content' | 'checksum' | 'name' | 'version' | 'targetProviderType' | 'toscaDefinitionVersion' | 'summary' | 'createdBy'
>;

export const TEMPLATE_SORT_FIELDS = {
  created_at: templates.createdAt,
  updated_at: templates.updatedAt,
  name: templates.name,
  version: templates.version,
  target_provider_type: templates.targetProviderType,
  tosca_definition_version: templates.toscaDefinitionVersion,
} as const;

export interface TemplateFilters {
  name?: string;
  version?: string;
  targetProviderType?: string;
  toscaDefinitionVersion?: string;
  createdBy?: string;
  checksum?: string;
}

export interface TemplateMeta {
  name: string;
  version?: string | null;
  targetProviderType?: string;
  toscaDefinitionVersion?: string;
}

/** Why a write was refused: same content stored already, or the name and version are taken. */
export type TemplateClash = { kind: 'duplicate-content' | 'name-version-taken'; id: string };

export function findTemplateById(db: Database, id: string): Promise<TemplateRow | undefined> {
  return db.select().from(templates).where(eq(templates.id, id)).limit(1).then((r) => r[0]);
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Serialises writers of one template name, so the (name, version) check cannot race. */
async function lockName(tx: Tx, name: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`template-name:${name}`}))`);
}

async function nameVersionHolder(tx: Tx, name: string, version: string | null | undefined, exceptId?: string): Promise<string | undefined> {
  if (version === null || version === undefined) return undefined;
  const parts = [eq(templates.name, name), eq(templates.version, version)];
  if (exceptId) parts.push(ne(templates.id, exceptId));
  const rows = await tx.select({ id: templates.id }).from(templates).where(and(...parts)).limit(1);
  return rows[0]?.id;
}

/** Inserts unless the content (checksum) or the (name, version) pair is already stored. */
export async function insertTemplate(db: Database, row: NewTemplate): Promise<{ id: string } | TemplateClash> {
  return db.transaction(async (tx) => {
    await lockName(tx, row.name);
    const same = await tx.select({ id: templates.id }).from(templates).where(eq(templates.checksum, row.checksum)).limit(1);
    if (same[0]) return { kind: 'duplicate-content', id: same[0].id } as const;
    const holder = await nameVersionHolder(tx, row.name, row.version);
    if (holder) return { kind: 'name-version-taken', id: holder } as const;
    const inserted = await tx
      .insert(templates)
      .values({ ...row, updatedBy: row.createdBy })
      .onConflictDoNothing({ target: templates.checksum })
      .returning({ id: templates.id });
    if (inserted[0]) return { id: inserted[0].id };
    const raced = await tx.select({ id: templates.id }).from(templates).where(eq(templates.checksum, row.checksum)).limit(1);
    if (!raced[0]) throw new Error('template vanished between insert and select');
    return { kind: 'duplicate-content', id: raced[0].id } as const;
  });
}

function filtersToWhere(f: TemplateFilters): SQL | undefined {
  const parts: SQL[] = [];
  if (f.name !== undefined) parts.push(eq(templates.name, f.name));
  if (f.version !== undefined) parts.push(eq(templates.version, f.version));
  if (f.targetProviderType !== undefined) parts.push(eq(templates.targetProviderType, f.targetProviderType));
  if (f.toscaDefinitionVersion !== undefined) parts.push(eq(templates.toscaDefinitionVersion, f.toscaDefinitionVersion));
  if (f.createdBy !== undefined) parts.push(eq(templates.createdBy, f.createdBy));
  if (f.checksum !== undefined) parts.push(eq(templates.checksum, f.checksum));
  return parts.length ? and(...parts) : undefined;
}

export async function listTemplates(
  db: Database,
  filters: TemplateFilters,
  page: PageSpec<keyof typeof TEMPLATE_SORT_FIELDS>,
): Promise<{ rows: TemplateRow[]; total: number }> {
  return pagedQuery(db, templates, db.select().from(templates).$dynamic(), filtersToWhere(filters), page, TEMPLATE_SORT_FIELDS, templates.id);
}

/** Changes name, version, provider type or TOSCA version, answering the changed row; the content and checksum never change. */
export async function updateTemplateMeta(
  db: Database,
  id: string,
  meta: TemplateMeta,
  updatedBy: string,
): Promise<TemplateRow | 'not-found' | TemplateClash> {
  return db.transaction(async (tx) => {
    await lockName(tx, meta.name);
    const current = await tx.select().from(templates).where(eq(templates.id, id)).for('update');
    if (!current[0]) return 'not-found';
    const version = meta.version === undefined ? current[0].version : meta.version;
    const holder = await nameVersionHolder(tx, meta.name, version, id);
    if (holder) return { kind: 'name-version-taken', id: holder } as const;
    const updated = await tx
      .update(templates)
      .set({
        name: meta.name,
        version,
        ...(meta.targetProviderType !== undefined ? { targetProviderType: meta.targetProviderType } : {}),
        ...(meta.toscaDefinitionVersion !== undefined ? { toscaDefinitionVersion: meta.toscaDefinitionVersion } : {}),
        updatedAt: sql`now()`,
        updatedBy,
      })
      .where(eq(templates.id, id))
      .returning();
    return updated[0] ?? 'not-found';
  });
}

/** Deletes unless a deployment (in any state) references the template. */
export async function deleteTemplateIfUnused(db: Database, id: string): Promise<'deleted' | 'not-found' | { inUseBy: number }> {
  try {
    return await db.transaction(async (tx) => {
      const locked = await tx.select({ id: templates.id }).from(templates).where(eq(templates.id, id)).for('update');
      if (!locked[0]) return 'not-found' as const;
      const used = await tx.select({ n: count() }).from(deployments).where(eq(deployments.templateId, id));
      const n = Number(used[0]?.n ?? 0);
      if (n > 0) return { inUseBy: n };
      await tx.delete(templates).where(eq(templates.id, id));
      return 'deleted' as const;
    });
  } catch (err) {
    // A deployment created between the count and the delete: the foreign key refuses.
    if (pgErrorCode(err) === FOREIGN_KEY_VIOLATION) return { inUseBy: 1 };
    throw err;
  }
}

