import type { TemplateRow } from '../../db/templates-repo.js';
import type { Identity } from '../identity.js';
import { ForbiddenError } from '../errors.js';

/** Anyone reads and adds templates; only the creator or an admin changes or deletes one. */
export function assertMayModifyTemplate(caller: Identity, callerId: string, row: TemplateRow): void {
  if (!caller.isAdmin && row.createdBy !== callerId) {
    throw new ForbiddenError('Only the creator of a template or an admin may change or delete it');
  }
}
