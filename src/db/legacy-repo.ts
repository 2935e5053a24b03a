import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from './database.js';
import { deployments, users } from './schema.js';

/** What the legacy shapes show beyond the v1 view: the callback and the creator's identity. */
export interface LegacyDeploymentExtras {
  callback: string | null;
  creatorIssuer: string | null;
  creatorSub: string | null;
}

export async function legacyExtrasOf(db: Database, ids: string[]): Promise<Map<string, LegacyDeploymentExtras>> {
  const out = new Map<string, LegacyDeploymentExtras>();
  if (!ids.length) return out;
  const rows = await db
    .select({ id: deployments.id, callback: deployments.callback, issuer: users.issuer, sub: users.sub })
    .from(deployments)
    .leftJoin(users, eq(users.id, deployments.createdBy))
    .where(inArray(deployments.id, ids));
  for (const r of rows) out.set(r.id, { callback: r.callback, creatorIssuer: r.issuer, creatorSub: r.sub });
  return out;
}

/** Users of an issuer (with or without its trailing "/") and subject: the `createdBy=sub@issuer` filter. */
export async function userIdsByIdentity(db: Database, issuers: string[], sub: string): Promise<string[]> {
  const rows = await db.select({ id: users.id }).from(users).where(and(inArray(users.issuer, issuers), eq(users.sub, sub)));
  return rows.map((r) => r.id);
}

/** The callback is a legacy-only field: a PUT that names one replaces it. */
export async function setDeploymentCallback(db: Database, id: string, callback: string | null): Promise<void> {
  await db.update(deployments).set({ callback }).where(eq(deployments.id, id));
}
