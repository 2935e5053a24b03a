import { count, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgSelect, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { orderByFor, type SortSpec } from './sorting.js';

export interface PageSpec<F extends string> {
  limit: number;
  offset: number;
  sort: SortSpec<F>;
}

/**
 * One page of rows and the total matching `where`: the rows query (whitelisted sort plus a unique
 * tiebreaker, limit/offset) and a count(*) with the same where, sent in parallel.
 * `select` is `db.select().from(table).$dynamic()`; it carries the row type back to the caller.
 */
export async function pagedQuery<Q extends PgSelect, F extends string>(
  db: Database,
  table: PgTable,
  select: Q,
  where: SQL | undefined,
  page: PageSpec<F>,
  sortColumns: Record<F, AnyColumn>,
  tiebreaker: AnyColumn,
): Promise<{ rows: Awaited<Q>; total: number }> {
  const [rows, totals] = await Promise.all([
    select
      .where(where)
      .orderBy(...orderByFor(sortColumns, page.sort, tiebreaker))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(table).where(where),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}
