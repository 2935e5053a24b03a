import { asc, desc, type AnyColumn, type SQL } from 'drizzle-orm';

export interface SortSpec<F extends string = string> {
  field: F;
  direction: 'asc' | 'desc';
}

/** ORDER BY for a whitelisted sort field, with a unique tiebreaker so pages are stable. */
export function orderByFor<F extends string>(
  columns: Record<F, AnyColumn>,
  sort: SortSpec<F>,
  tiebreaker: AnyColumn,
): SQL[] {
  const dir = sort.direction === 'desc' ? desc : asc;
  return [dir(columns[sort.field]), dir(tiebreaker)];
}
