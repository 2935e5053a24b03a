import { and, asc, eq, gte, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { IN_PROGRESS, isInProgress } from '../domain/deployment-status.js';
import type { Database } from './database.js';
import { pagedQuery, type PageSpec } from './paged-query.js';
import { deploymentAttempts, deploymentOwners, deployments, idempotencyKeys, resources, users } from './schema.js';

export type DeploymentRow = typeof deployments.$inferSelect;
export type NewDeployment = typeof deployments.$inferInsert;
export type AttemptRow = typeof deploymentAttempts.$inferSelect;
export type ResourceRow = typeof resources.$inferSelect;
export type NewResource = Omit<typeof resources.$inferInsert, 'deploymentId'>;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type Conn = Database | Tx;

class KeyTaken extends Error {}

/**
 * The deployment, its owners, its resources and (when given) the idempotency answer, in one
 * transaction; false when another request stored the same idempotency key first.
 */
export async function insertDeployment(
  db: Database,
  row: NewDeployment & { createdAt: Date },
  ownerIds: string[],
  rs: NewResource[],
  idempotency?: typeof idempotencyKeys.$inferInsert,
): Promise<boolean> {
  try {
    await insertAll(db, row, ownerIds, rs, idempotency);
    return true;
  } catch (err) {
    if (err instanceof KeyTaken) return false;
    throw err;
  }
}

async function insertAll(db: Database, row: NewDeployment & { createdAt: Date }, ownerIds: string[], rs: NewResource[], idempotency?: typeof idempotencyKeys.$inferInsert) {
  await db.transaction(async (tx) => {
    if (idempotency) {
      const claimed = await tx.insert(idempotencyKeys).values(idempotency).onConflictDoNothing().returning({ k: idempotencyKeys.key });
      if (!claimed.length) throw new KeyTaken();
    }
    await tx.insert(deployments).values({ startedAt: row.createdAt, ...row });
    await tx.insert(deploymentOwners).values(ownerIds.map((userId) => ({ deploymentId: row.id, userId, deploymentCreatedAt: row.createdAt })));
    if (rs.length) await tx.insert(resources).values(rs.map((r) => ({ ...r, deploymentId: row.id })));
  });
}

export function findDeployment(db: Conn, id: string): Promise<DeploymentRow | undefined> {
  return db.select().from(deployments).where(eq(deployments.id, id)).limit(1).then((r) => r[0]);
}

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** What a single read shows: no template text or sealed token, owners and attempts folded in. */
export interface DeploymentViewRow {
  id: string;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  updatedBy: string | null;
  templateId: string | null;
  templateInputs: unknown;
  secretInputs: string[];
  templateOutputs: unknown;
  userGroup: string | null;
  maxProviders: number | null;
  perProviderMaxRetries: number | null;
  perProviderTimeoutMins: number | null;
  totTimeoutMins: number | null;
  keepLastAttempt: boolean;
  targetProvider: string | null;
  targetRegion: string | null;
  targetIaasProject: string | null;
  imInfraId: string | null;
  status: number;
  statusReason: string | null;
  task: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  ownedBy: string[];
  attempts: AttemptRow[];
}

interface AttemptJson {
  seq: number;
  provider: string;
  region: string | null;
  project: string | null;
  im_infra_id: string | null;
  started_at: number;
  finished_at: number | null;
  outcome: string | null;
  error: string | null;
  cleaned_up: boolean;
}

const toAttempt = (deploymentId: string, a: AttemptJson): AttemptRow => ({
  deploymentId,
  seq: a.seq,
  provider: a.provider,
  region: a.region,
  project: a.project,
  imInfraId: a.im_infra_id,
  startedAt: new Date(a.started_at),
  finishedAt: a.finished_at === null ? null : new Date(a.finished_at),
  outcome: a.outcome,
  error: a.error,
  cleanedUp: a.cleaned_up,
});

const epochMs = (column: string) => `(extract(epoch from a.${column}) * 1000)::float8`;

function prepareFindView(db: Database) {
  const d = deployments;
  return db
    .select({
      id: d.id,
      createdAt: d.createdAt,
      createdBy: d.createdBy,
      updatedAt: d.updatedAt,
      updatedBy: d.updatedBy,
      templateId: d.templateId,
      templateInputs: d.templateInputs,
      secretInputs: d.secretInputs,
      templateOutputs: d.templateOutputs,
      userGroup: d.userGroup,
      maxProviders: d.maxProviders,
      perProviderMaxRetries: d.perProviderMaxRetries,
      perProviderTimeoutMins: d.perProviderTimeoutMins,
      totTimeoutMins: d.totTimeoutMins,
      keepLastAttempt: d.keepLastAttempt,
      targetProvider: d.targetProvider,
      targetRegion: d.targetRegion,
      targetIaasProject: d.targetIaasProject,
      imInfraId: d.imInfraId,
      status: d.status,
      statusReason: d.statusReason,
      task: d.task,
      startedAt: d.startedAt,
      finishedAt: d.finishedAt,
      ownedBy: sql<string[]>`coalesce((select json_agg(o.user_id order by o.created_at, o.user_id) from ${deploymentOwners} o where o.deployment_id = ${d.id}), '[]'::json)`.mapWith(parseJson<string[]>),
      attempts: sql<AttemptJson[]>`coalesce((select json_agg(json_build_object('seq', a.seq, 'provider', a.provider, 'region', a.region, 'project', a.project,
        'im_infra_id', a.im_infra_id, 'started_at', ${sql.raw(epochMs('started_at'))}, 'finished_at', ${sql.raw(epochMs('finished_at'))},
        'outcome', a.outcome, 'error', a.error, 'cleaned_up', a.cleaned_up) order by a.seq) from ${deploymentAttempts} a where a.deployment_id = ${d.id}), '[]'::json)`.mapWith(parseJson<AttemptJson[]>),
    })
    .from(d)
    .where(eq(d.id, sql.placeholder('id')))
    .prepare('deployments_find_view');
}

const findViewStatements = new WeakMap<Database, ReturnType<typeof prepareFindView>>();

/** A single read in one round trip, as a prepared statement: the row, its owners and its attempts. */
export async function findDeploymentView(db: Database, id: string): Promise<DeploymentViewRow | undefined> {
  let statement = findViewStatements.get(db);
  if (!statement) {
    statement = prepareFindView(db);
    findViewStatements.set(db, statement);
  }
  const row = (await statement.execute({ id }))[0];
  return row && { ...row, attempts: row.attempts.map((a) => toAttempt(row.id, a)) };
}

export async function ownersOf(db: Conn, id: string): Promise<string[]> {
  const rows = await db
    .select({ userId: deploymentOwners.userId })
    .from(deploymentOwners)
    .where(eq(deploymentOwners.deploymentId, id))
    .orderBy(asc(deploymentOwners.createdAt), asc(deploymentOwners.userId));
  return rows.map((r) => r.userId);
}

export function attemptsOf(db: Conn, id: string): Promise<AttemptRow[]> {
  return db.select().from(deploymentAttempts).where(eq(deploymentAttempts.deploymentId, id)).orderBy(asc(deploymentAttempts.seq));
}

export function resourcesOf(db: Conn, id: string): Promise<ResourceRow[]> {
  return db.select().from(resources).where(eq(resources.deploymentId, id)).orderBy(asc(resources.toscaNodeName), asc(resources.imVmIdx));
}

/** Owners' public SSH keys, for installing them on the VMs. */
export async function ownerSshKeys(db: Conn, id: string): Promise<string[]> {
  const rows = await db
    .select({ key: users.publicSshKey })
    .from(deploymentOwners)
    .innerJoin(users, eq(users.id, deploymentOwners.userId))
    .where(eq(deploymentOwners.deploymentId, id));
  return rows.map((r) => r.key).filter((k): k is string => !!k);
}

export async function creatorCredentials(db: Conn, userId: string): Promise<{ issuer: string; refreshTokenEncrypted: string | null } | undefined> {
  const rows = await db.select({ issuer: users.issuer, refreshTokenEncrypted: users.refreshTokenEncrypted }).from(users).where(eq(users.id, userId));
  return rows[0];
}

export interface DeploymentFilters {
  statuses?: number[];
  ownedBy?: string;
  createdBy?: string;
  userGroup?: string;
  templateId?: string;
  targetProvider?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

export const DEPLOYMENT_SORT_FIELDS = { created_at: deployments.createdAt, updated_at: deployments.updatedAt, status: deployments.status } as const;
export type DeploymentSortField = keyof typeof DEPLOYMENT_SORT_FIELDS;

function filtersToWhere(f: DeploymentFilters): SQL | undefined {
  const parts: SQL[] = [];
  if (f.statuses?.length) parts.push(f.statuses.length === 1 ? eq(deployments.status, f.statuses[0]) : inArray(deployments.status, f.statuses));
  if (f.ownedBy !== undefined) {
    // EXISTS over the owners index keeps "mine, newest first" one index walk even with millions of rows.
    parts.push(sql`exists (select 1 from ${deploymentOwners} o where o.deployment_id = ${deployments.id} and o.user_id = ${f.ownedBy})`);
  }
  if (f.createdBy !== undefined) parts.push(eq(deployments.createdBy, f.createdBy));
  if (f.userGroup !== undefined) parts.push(eq(deployments.userGroup, f.userGroup));
  if (f.templateId !== undefined) parts.push(eq(deployments.templateId, f.templateId));
  if (f.targetProvider !== undefined) parts.push(eq(deployments.targetProvider, f.targetProvider));
  if (f.createdFrom !== undefined) parts.push(gte(deployments.createdAt, f.createdFrom));
  if (f.createdTo !== undefined) parts.push(lt(deployments.createdAt, f.createdTo));
  return parts.length ? and(...parts) : undefined;
}

export async function listDeployments(
  db: Database,
  filters: DeploymentFilters,
  page: PageSpec<DeploymentSortField>,
): Promise<{ rows: DeploymentRow[]; total: number }> {
  return pagedQuery(db, deployments, db.select().from(deployments).$dynamic(), filtersToWhere(filters), page, DEPLOYMENT_SORT_FIELDS, deployments.id);
}

export async function ownersOfMany(db: Database, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await db
    .select({ d: deploymentOwners.deploymentId, u: deploymentOwners.userId })
    .from(deploymentOwners)
    .where(inArray(deploymentOwners.deploymentId, ids))
    .orderBy(asc(deploymentOwners.createdAt));
  for (const r of rows) out.get(r.d)?.push(r.u);
  return out;
}

export async function isOwner(db: Conn, id: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ u: deploymentOwners.userId })
    .from(deploymentOwners)
    .where(and(eq(deploymentOwners.deploymentId, id), eq(deploymentOwners.userId, userId)))
    .limit(1);
  return rows.length > 0;
}

export type DeploymentChanges = Partial<Omit<NewDeployment, 'id' | 'createdAt' | 'createdBy'>>;

const RUNNING = sql.raw(IN_PROGRESS.join(', '));

/** A change to the next opSeq starts an operation, one into a final status finishes it (null while it runs). */
function operationTimes(changes: DeploymentChanges): { startedAt?: SQL; finishedAt?: SQL | null } {
  if (changes.status === undefined) return {};
  const final = !isInProgress(changes.status);
  if (changes.opSeq === undefined) return final ? { finishedAt: sql`now()` } : {};
  if (!final) return { startedAt: sql`now()`, finishedAt: null };
  // Next opSeq straight into a final status: a reset ending the running operation, or one that was done at once.
  return { startedAt: sql`case when ${deployments.status} in (${RUNNING}) then ${deployments.startedAt} else now() end`, finishedAt: sql`now()` };
}

/**
 * Writes only when the row still is where the caller saw it (same operation, one of the expected
 * statuses): a reset, a cancel or a newer operation wins over a stale worker.
 */
export async function updateDeploymentIf(
  db: Conn,
  id: string,
  expect: { opSeq?: number; statuses?: readonly number[] },
  changes: DeploymentChanges,
): Promise<DeploymentRow | undefined> {
  const parts: SQL[] = [eq(deployments.id, id)];
  if (expect.opSeq !== undefined) parts.push(eq(deployments.opSeq, expect.opSeq));
  if (expect.statuses) parts.push(inArray(deployments.status, [...expect.statuses]));
  const rows = await db
    .update(deployments)
    .set({ ...operationTimes(changes), ...changes, version: sql`${deployments.version} + 1`, updatedAt: sql`now()` })
    .where(and(...parts))
    .returning();
  return rows[0];
}

export async function deleteDeploymentRow(db: Database, id: string): Promise<boolean> {
  const rows = await db.delete(deployments).where(eq(deployments.id, id)).returning({ id: deployments.id });
  return rows.length > 0;
}

export async function addOwner(db: Database, id: string, userId: string, deploymentCreatedAt: Date): Promise<boolean> {
  const rows = await db
    .insert(deploymentOwners)
    .values({ deploymentId: id, userId, deploymentCreatedAt })
    .onConflictDoNothing()
    .returning({ u: deploymentOwners.userId });
  return rows.length > 0;
}

/** Removes an owner unless it is the last one; answers what happened. */
export async function removeOwner(db: Database, id: string, userId: string): Promise<'removed' | 'not-owner' | 'last-owner'> {
  return db.transaction(async (tx) => {
    const owners = await tx
      .select({ u: deploymentOwners.userId })
      .from(deploymentOwners)
      .where(eq(deploymentOwners.deploymentId, id))
      .for('update');
    if (!owners.some((o) => o.u === userId)) return 'not-owner';
    if (owners.length === 1) return 'last-owner';
    await tx.delete(deploymentOwners).where(and(eq(deploymentOwners.deploymentId, id), eq(deploymentOwners.userId, userId)));
    return 'removed';
  });
}

export async function insertAttempt(db: Conn, row: typeof deploymentAttempts.$inferInsert): Promise<void> {
  await db.insert(deploymentAttempts).values(row).onConflictDoNothing();
}

export async function updateAttempt(db: Conn, id: string, seq: number, changes: Partial<typeof deploymentAttempts.$inferInsert>): Promise<void> {
  await db.update(deploymentAttempts).set(changes).where(and(eq(deploymentAttempts.deploymentId, id), eq(deploymentAttempts.seq, seq)));
}

/**
 * Records the attempt's infrastructure unless another run of the same step recorded a different one
 * first; returns the infrastructure the attempt now has.
 */
export async function claimAttemptInfra(db: Conn, id: string, seq: number, imInfraId: string): Promise<string | null> {
  const attempt = and(eq(deploymentAttempts.deploymentId, id), eq(deploymentAttempts.seq, seq));
  const free = sql`(${deploymentAttempts.imInfraId} is null or ${deploymentAttempts.imInfraId} = ${imInfraId})`;
  const claimed = await db.update(deploymentAttempts).set({ imInfraId }).where(and(attempt, free)).returning({ imInfraId: deploymentAttempts.imInfraId });
  if (claimed.length) return imInfraId;
  const [current] = await db.select({ imInfraId: deploymentAttempts.imInfraId }).from(deploymentAttempts).where(attempt);
  return current?.imInfraId ?? null;
}

/**
 * Makes the resources exactly `rows`: rows with an id are updated, others inserted, the rest deleted.
 * A resource with a VM action running keeps its status: the action owns it until it ends.
 */
export async function syncResources(db: Database, id: string, rows: Array<NewResource & { id?: string | null }>): Promise<void> {
  await db.transaction(async (tx) => {
    const keepIds = rows.map((r) => r.id).filter((x): x is string => !!x);
    await tx
      .delete(resources)
      .where(keepIds.length ? and(eq(resources.deploymentId, id), notInArray(resources.id, keepIds)) : eq(resources.deploymentId, id));
    for (const { id: rid, ...r } of rows) {
      const status = r.status === undefined ? undefined : sql`case when ${resources.action} is null then ${r.status}::smallint else ${resources.status} end`;
      if (rid) await tx.update(resources).set({ ...r, status, updatedAt: sql`now()` }).where(eq(resources.id, rid));
      else await tx.insert(resources).values({ ...r, deploymentId: id });
    }
  });
}

export async function setResourcesStatus(db: Conn, id: string, status: number): Promise<void> {
  await db.update(resources).set({ status, updatedAt: sql`now()` }).where(eq(resources.deploymentId, id));
}

export async function findIdempotentAnswer(db: Database, userId: string, key: string) {
  const rows = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return rows[0];
}
