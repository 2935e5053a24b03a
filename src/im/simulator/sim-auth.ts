import { parseImAuthHeader, type AuthLine } from '../auth-parse.js';
import type { SimStore } from './store.js';

export interface SimIdentity {
  /** Ownership key: what the IM compares to decide whether an infrastructure is yours. */
  key: string;
  name: string;
  imToken?: string;
  clouds: AuthLine[];
}

export type AuthOutcome =
  | { ok: true; identity: SimIdentity }
  /** `credentials` failures are 401 on top-level routes and 400 on per-infrastructure ones. */
  | { ok: false; kind: 'missing' | 'credentials' | 'decode'; message: string };

export interface AuthEnv {
  nowMs: number;
  store: SimStore;
  /** Empty or absent: any issuer. */
  acceptedIssuers?: readonly string[];
  users?: Readonly<Record<string, string>>;
}

const NON_CLOUD_TYPES = new Set(['InfrastructureManager', 'VMRC', 'Vault']);
export const TOKEN_EXPIRED = 'Invalid InfrastructureManager credentials. OIDC auth Token expired.';

interface JwtClaims {
  iss?: string;
  sub?: string;
  exp?: number;
  preferred_username?: string;
  name?: string;
}

function decodeBase64Url(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=');
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
}

/** The claims of a JWT, without verifying the signature (the IM asks the issuer's userinfo for that). */
export function decodeJwt(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(parts[1]));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a token reads as expired: by its `exp`, or because the control API marked it. */
export function isTokenExpired(token: string, env: Pick<AuthEnv, 'nowMs' | 'store'>): boolean {
  if (env.store.expiredTokens.has(token)) return true;
  const claims = decodeJwt(token);
  if (!claims) return false;
  if (claims.sub !== undefined && env.store.expiredSubjects.has(claims.sub)) return true;
  return typeof claims.exp === 'number' && claims.exp * 1000 <= env.nowMs;
}

/** Checks the Authorization header the way the IM does and derives the caller's identity. */
export function authenticate(header: string | undefined, env: AuthEnv): AuthOutcome {
  const missing = { ok: false, kind: 'missing', message: 'No authentication data provided' } as const;
  if (!header) return missing;
  const lines = parseImAuthHeader(header);
  const im = lines.find((l) => l.type === 'InfrastructureManager');
  if (!im) return missing;
  const clouds = lines.filter((l) => l.type !== undefined && !NON_CLOUD_TYPES.has(l.type));
  if (im.token !== undefined) {
    const claims = decodeJwt(im.token);
    if (!claims) {
      return { ok: false, kind: 'decode', message: 'Error trying to decode OIDC auth token: Not enough segments' };
    }
    if (!claims.iss || (env.acceptedIssuers?.length && !env.acceptedIssuers.includes(claims.iss))) {
      return { ok: false, kind: 'credentials', message: 'Invalid InfrastructureManager credentials. OIDC auth issuer not accepted.' };
    }
    if (isTokenExpired(im.token, env)) return { ok: false, kind: 'credentials', message: TOKEN_EXPIRED };
    const user = claims.preferred_username ?? claims.name ?? claims.sub ?? '';
    const name = `__OPENID__${user}`;
    return { ok: true, identity: { key: `${name}\u0000${claims.iss}/${claims.sub ?? ''}`, name, imToken: im.token, clouds } };
  }
  if (im.username === undefined || im.password === undefined) return missing;
  if (env.users && env.users[im.username] !== im.password) {
    return { ok: false, kind: 'credentials', message: 'Invalid InfrastructureManager credentials' };
  }
  return { ok: true, identity: { key: `${im.username}\u0000${im.password}`, name: im.username, clouds } };
}

/** The secret a provider line authenticates with (the access token for OIDC lines). */
export function cloudSecret(line: AuthLine): string | undefined {
  return line.token ?? line.password ?? line.auth_token;
}

/** Whether a provider line would let the IM talk to that cloud right now. */
export function cloudCredentialsValid(line: AuthLine | undefined, env: Pick<AuthEnv, 'nowMs' | 'store'>): boolean {
  if (!line) return false;
  if (line.type === 'Dummy') return true;
  const secret = cloudSecret(line);
  return secret !== undefined && secret !== '' && !isTokenExpired(secret, env);
}
