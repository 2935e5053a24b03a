import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from './database.js';
import { deploymentOwners, deployments, users } from './schema.js';
import { pagedQuery, type PageSpec } from './paged-query.js';

export type UserRow = typeof users.$inferSelect;

export interface TokenIdentity {
  issuer: string;
  sub: string;
  name?: string;
  username?: string;
  email?: string;
}

export const USER_SORT_FIELDS = {
  created_at: users.createdAt,
  sub: users.sub,
  issuer: users.issuer,
  email: users.email,
  username: users.username,
  name: users.name,
} as const;

export interface UserFilters {
  sub?: string;
  issuer?: string;
  email?: string;
  username?: string;
  name?: string;
  /** Restricts the list to one user (non-admin callers). */
  onlyId?: string;
}

function prepareFindById(db: Database) {
  return db.select().from(users).where(eq(users.id, sql.placeholder('id'))).limit(1).prepare('users_find_by_id');
}

const findByIdStatements = new WeakMap<Database, ReturnType<typeof prepareFindById>>();

/** The hottest read of the API: a prepared statement, so Postgres plans it once per connection. */
export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  let statement = findByIdStatements.get(db);
  if (!statement) {
    statement = prepareFindById(db);
    findByIdStatements.set(db, statement);
  }
  return (await statement.execute({ id }))[0];
}

export function findUserByIdentity(db: Database, issuer: string, sub: string): Promise<UserRow | undefined> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.issuer, issuer), eq(users.sub, sub)))
    .limit(1)
    .then((r) => r[0]);
}

/** Inserts the user unless (issuer, sub) exists; returns the id and whether it was created. */
export async function insertUserIfAbsent(db: Database, who: TokenIdentity): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insert(users)
    .values({ issuer: who.issuer, sub: who.sub, name: who.name, username: who.username, email: who.email })
    .onConflictDoNothing({ target: [users.issuer, users.sub] })
    .returning({ id: users.id });
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const existing = await findUserByIdentity(db, who.issuer, who.sub);
  if (!existing) throw new Error('user vanished between insert and select');
  return { id: existing.id, created: false };
}

function filtersToWhere(f: UserFilters): SQL | undefined {
  const parts: SQL[] = [];
  if (f.onlyId) parts.push(eq(users.id, f.onlyId));
  if (f.sub !== undefined) parts.push(eq(users.sub, f.sub));
  if (f.issuer !== undefined) parts.push(eq(users.issuer, f.issuer));
  if (f.email !== undefined) parts.push(eq(users.email, f.email));
  if (f.username !== undefined) parts.push(eq(users.username, f.username));
  if (f.name !== undefined) parts.push(eq(users.name, f.name));
  return parts.length ? and(...parts) : undefined;
}

export async function listUsers(
  db: Database,
  filters: UserFilters,
  page: PageSpec<keyof typeof USER_SORT_FIELDS>,
): Promise<{ rows: UserRow[]; total: number }> {
  return pagedQuery(db, users, db.select().from(users).$dynamic(), filtersToWhere(filters), page, USER_SORT_FIELDS, users.id);
}

export interface UserPatch {
  picture?: string | null;
  publicSshKey?: string | null;
  refreshTokenEncrypted?: string | null;
}

export async function updateUser(db: Database, id: string, patch: UserPatch): Promise<boolean> {
  const done = await db
    .update(users)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning({ id: users.id });
  return done.length > 0;
}

/** Deletes unless the user owns or created deployments; 'in-use' then. */
export async function deleteUserIfUnused(db: Database, id: string): Promise<'deleted' | 'not-found' | 'in-use'> {
  return db.transaction(async (tx) => {
    const locked = await tx.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update');
    if (!locked[0]) return 'not-found';
    const owned = await tx
      .select({ n: count() })
      .from(deploymentOwners)
      .where(eq(deploymentOwners.userId, id));
    const created = await tx.select({ n: count() }).from(deployments).where(eq(deployments.createdBy, id));
    if (Number(owned[0]?.n) > 0 || Number(created[0]?.n) > 0) return 'in-use';
    await tx.delete(users).where(eq(users.id, id));
    return 'deleted';
  });
}
