import { z } from 'zod';
import type { TokenIdentity } from '../../db/users-repo.js';
import type { Identity } from '../identity.js';
import { ValidationError } from '../errors.js';

const noNul = (s: string) => !s.includes('\u0000');

const Identity = z.object({
  issuer: z.string().max(1024).refine(noNul, { error: 'must not contain NUL characters' }),
  sub: z.string().min(1).max(255).refine(noNul, { error: 'must not contain NUL characters' }),
});

/** Optional profile claims that do not fit are dropped rather than locking the user out. */
function optionalClaim(value: string | undefined, max: number): string | undefined {
  return value !== undefined && value.length <= max && noNul(value) ? value : undefined;
}

const CLAIM_OF: Record<string, string> = { issuer: 'iss', sub: 'sub' };

/** The user record a token describes; an unusable iss or sub is a 422, never a bad row. */
export function profileFromIdentity(identity: Identity): TokenIdentity {
  const parsed = Identity.safeParse({ issuer: identity.issuer, sub: identity.sub });
  if (parsed.success) {
    return {
      ...parsed.data,
      name: optionalClaim(identity.name, 255),
      username: optionalClaim(identity.username, 255),
      email: optionalClaim(identity.email, 320),
    };
  }
  const errors = parsed.error.issues.map((i) => ({ loc: ['token', CLAIM_OF[String(i.path[0])] ?? String(i.path[0])], msg: i.message }));
  throw new ValidationError(`The access token's claims cannot describe a user: ${errors.map((e) => `${e.loc[1]} ${e.msg}`).join('; ')}`, errors);
}
