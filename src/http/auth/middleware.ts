import { createMiddleware } from 'hono/factory';
import { profileFromIdentity } from '../../services/users/profile-from-identity.js';
import type { AppEnv } from '../env.js';

/**
 * Verifies the bearer token and, unless told otherwise, registers the caller on first use so
 * every later verb can rely on a user row.
 */
export function authenticate(options: { register: boolean } = { register: true }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const deps = c.get('deps');
    const identity = await (c.get('verifiedToken') ?? deps.auth.verify(c.req.header('authorization')));
    c.set('identity', identity);
    if (options.register) c.set('userId', await deps.users.ensureRegistered(identity, () => profileFromIdentity(identity)));
    await next();
  });
}
