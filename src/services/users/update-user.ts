import type { Database } from '../../db/database.js';
import { updateUser as updateUserRow, type UserPatch } from '../../db/users-repo.js';
import type { Identity } from '../identity.js';
import { NotFoundError } from '../errors.js';
import type { SecretBox } from '../secret-box.js';
import { assertMayActOnUser } from './access.js';

export interface UserChanges {
  picture?: string | null;
  public_ssh_key?: string | null;
  refresh_token?: string | null;
}

export async function updateUser(
  deps: { db: Database; secrets: SecretBox },
  caller: Identity,
  callerId: string,
  id: string,
  changes: UserChanges,
): Promise<void> {
  assertMayActOnUser(caller, callerId, id);
  const patch: UserPatch = {};
  if (changes.picture !== undefined) patch.picture = changes.picture;
  if (changes.public_ssh_key !== undefined) patch.publicSshKey = changes.public_ssh_key;
  if (changes.refresh_token !== undefined) {
    patch.refreshTokenEncrypted = changes.refresh_token === null ? null : await deps.secrets.seal(changes.refresh_token);
  }
  if (!(await updateUserRow(deps.db, id, patch))) throw new NotFoundError('User', id);
}
