import type { Database } from '../../db/database.js';
import { findTemplateById, type TemplateRow } from '../../db/templates-repo.js';
import { NotFoundError } from '../errors.js';

export async function getTemplate(db: Database, id: string): Promise<TemplateRow> {
  const row = await findTemplateById(db, id);
  if (!row) throw new NotFoundError('Template', id);
  return row;
}

/** A stored template as the service hands it to callers (routes map it; they never see the database layer). */
export type TemplateRecord = TemplateRow;
