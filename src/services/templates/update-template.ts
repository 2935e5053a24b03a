import type { Database } from '../../db/database.js';
import { updateTemplateMeta, type TemplateMeta } from '../../db/templates-repo.js';
import type { Identity } from '../identity.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertMayModifyTemplate } from './access.js';
import { getTemplate, type TemplateRecord } from './get-template.js';

/** Changes a template's metadata (never its content); (name, version) must stay unique. Answers the changed template. */
export async function updateTemplate(db: Database, caller: Identity, callerId: string, id: string, meta: TemplateMeta): Promise<TemplateRecord> {
  assertMayModifyTemplate(caller, callerId, await getTemplate(db, id));
  const outcome = await updateTemplateMeta(db, id, meta, callerId);
  if (outcome === 'not-found') throw new NotFoundError('Template', id);
  if ('kind' in outcome) {
    throw new ConflictError(`Another template already has the name ${meta.name} with this version: ${outcome.id}`, { id: outcome.id });
  }
  return outcome;
}
