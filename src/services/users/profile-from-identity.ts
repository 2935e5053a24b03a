import { z } from 'zod';
import type { TokenIdentity } from '../../db/users-repo.js';
import type { Identity } from '../../http/auth/identity.js';
import { ValidationError } from '../errors.js';

const Profile = z.object({
  issuer: z.string().max(1024),
  sub: z.string().min(1).max(255),
  name: z.string().max(255).optional(),
  username: z.string().max(255).optional(),
  email: z.email({ error: 'must be an e-mail address' }).max(320).optional(),
});

const CLAIM_OF: Record<string, string> = { issuer: 'iss', sub: 'sub', name: 'name', username: 'preferred_username', email: 'email' };

/** The user record a token describes; claims unusable as profile fields are a 422, not a bad row. */
export function profileFromIdentity(identity: Identity): TokenIdentity {
  const parsed = Profile.safeParse({
    issuer: identity.issuer,
    sub: identity.sub,
    name: identity.name,
    username: identity.username,
    email: identity.email,
  });
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ loc: ['token', CLAIM_OF[String(i.path[0])] ?? String(i.path[0])], msg: i.message }));
  throw new ValidationError(`The access token's claims cannot describe a user: ${errors.map((e) => `${e.loc[1]} ${e.msg}`).join('; ')}`, errors);
}
