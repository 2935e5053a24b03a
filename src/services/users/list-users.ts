import type { Database } from '../../db/database.js';
import { listUsers as listUserRows, type USER_SORT_FIELDS, type UserFilters } from '../../db/users-repo.js';
import type { SortSpec } from '../../db/sorting.js';
import type { Identity } from '../identity.js';

/** Admins list everyone; other callers see only themselves. */
export function listUsers(
  db: Database,
  caller: Identity,
  callerId: string,
  filters: Omit<UserFilters, 'onlyId'>,
  page: { limit: number; offset: number; sort: SortSpec<keyof typeof USER_SORT_FIELDS> },
) {
  return listUserRows(db, caller.isAdmin ? filters : { ...filters, onlyId: callerId }, page);
}
