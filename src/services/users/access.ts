import type { Identity } from '../identity.js';
import { ForbiddenError } from '../errors.js';

/** A user may act on themself; admins on anyone. */
export function assertMayActOnUser(caller: Identity, callerId: string | undefined, targetId: string): void {
  if (!caller.isAdmin && callerId !== targetId) throw new ForbiddenError('You may only access your own user');
}
