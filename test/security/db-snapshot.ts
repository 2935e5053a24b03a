import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/database.js';

/** Every table a request can write. */
const TABLES = ['users', 'templates', 'deployments', 'deployment_owners', 'deployment_attempts', 'resources', 'deployment_logs', 'idempotency_keys'] as const;

export type DatabaseSnapshot = Record<string, { rows: number; digest: string }>;

/**
 * Row count and an md5 of every row's text per table, in one query: the fuzzed databases hold a few
 * dozen rows, so hashing whole rows costs little and catches an in-place update a count would miss.
 */
export async function snapshotDatabase(db: Database): Promise<DatabaseSnapshot> {
  const query = TABLES.map(
    (t) => `select '${t}' as name, count(*)::int as rows, md5(coalesce(string_agg(r::text, E'\\n' order by r::text), '')) as digest from ${t} r`,
  ).join(' union all ');
  const rows = (await db.execute(sql.raw(query))) as unknown as Array<{ name: string; rows: number; digest: string }>;
  return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, digest: r.digest }]));
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  return TABLES.filter((t) => before[t]?.rows !== after[t]?.rows || before[t]?.digest !== after[t]?.digest);
}
