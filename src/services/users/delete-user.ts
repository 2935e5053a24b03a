import type { Database } from '../../db/database.js';
import { deleteUserIfUnused } from '../../db/users-repo.js';
import type { Identity } from '../identity.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertMayActOnUser } from './access.js';
import type { UserRegistry } from './user-registry.js';

export async function deleteUser(
  deps: { db: Database; users: UserRegistry },
  caller: Identity,
  callerId: string,
  id: string,
): Promise<void> {
  assertMayActOnUser(caller, callerId, id);
  const outcome = await deleteUserIfUnused(deps.db, id);
  if (outcome === 'not-found') throw new NotFoundError('User', id);
  if (outcome === 'in-use') throw new ConflictError(`User ${id} owns deployments; delete or hand them over first`);
  deps.users.forget(id);
}
