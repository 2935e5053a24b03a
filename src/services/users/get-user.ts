import type { Database } from '../../db/database.js';
import { findUserById, type UserRow } from '../../db/users-repo.js';
import type { Identity } from '../identity.js';
import { NotFoundError } from '../errors.js';
import { assertMayActOnUser } from './access.js';

export async function getUser(db: Database, caller: Identity, callerId: string, id: string): Promise<UserRow> {
  assertMayActOnUser(caller, callerId, id);
  const row = await findUserById(db, id);
  if (!row) throw new NotFoundError('User', id);
  return row;
}

/** A user as the service hands it to callers (routes map it; they never see the database layer). */
export type UserRecord = UserRow;
