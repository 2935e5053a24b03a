import type { Database } from '../../db/database.js';
import type { SortSpec } from '../../db/sorting.js';
import { listTemplates as listTemplateRows, type TEMPLATE_SORT_FIELDS, type TemplateFilters } from '../../db/templates-repo.js';

/** Every authenticated user sees the whole catalogue; `created_by=me` means the caller. */
export function listTemplates(
  db: Database,
  callerId: string,
  filters: Omit<TemplateFilters, 'createdBy'> & { createdBy?: string },
  page: { limit: number; offset: number; sort: SortSpec<keyof typeof TEMPLATE_SORT_FIELDS> },
) {
  const createdBy = filters.createdBy === 'me' ? callerId : filters.createdBy;
  return listTemplateRows(db, { ...filters, createdBy }, page);
}
