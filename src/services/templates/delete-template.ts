import type { Database } from '../../db/database.js';
import { deleteTemplateIfUnused } from '../../db/templates-repo.js';
import type { Identity } from '../identity.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertMayModifyTemplate } from './access.js';
import { getTemplate } from './get-template.js';

/** Deletes a template no deployment uses. */
export async function deleteTemplate(db: Database, caller: Identity, callerId: string, id: string): Promise<void> {
  assertMayModifyTemplate(caller, callerId, await getTemplate(db, id));
  const outcome = await deleteTemplateIfUnused(db, id);
  if (outcome === 'not-found') throw new NotFoundError('Template', id);
  if (outcome !== 'deleted') {
    throw new ConflictError(`Template ${id} is used by ${outcome.inUseBy} deployment(s); delete them first`, { deployments: outcome.inUseBy });
  }
}
