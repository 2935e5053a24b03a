import type { Database } from '../../db/database.js';
import { insertUserIfAbsent } from '../../db/users-repo.js';
import type { Identity } from '../identity.js';
import { ConflictError } from '../errors.js';
import { profileFromIdentity } from './profile-from-identity.js';

/** Explicit registration from the token; a second call is a conflict naming the existing id. */
export async function registerUser(db: Database, caller: Identity): Promise<string> {
  const { id, created } = await insertUserIfAbsent(db, profileFromIdentity(caller));
  if (!created) throw new ConflictError(`User ${caller.sub} of ${caller.issuer} is already registered`, { id });
  return id;
}
