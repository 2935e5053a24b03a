import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { ForbiddenError, ServiceError, UnauthorizedError } from '../../services/errors.js';
import { isMemberOfAny, readGroups } from './groups.js';
import type { Identity, TokenVerifier } from './identity.js';
import type { JwksResolver } from './jwks-resolver.js';

export interface TokenVerifierOptions {
  issuers: string[];
  audience?: string;
  groupsClaim: string;
  adminGroups: string[];
  allowedGroups?: string[];
  jwks: JwksResolver;
  clockToleranceSec?: number;
  now?: () => Date;
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** How far the clocks of the issuer and this service may disagree on exp, nbf and iat. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;

const BEARER = /^bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'exp') return 'token has no expiry (exp)';
    if (err.claim === 'nbf') return 'token is not yet valid';
    if (err.claim === 'aud') return 'token audience does not match this service';
    if (err.claim === 'iss') return 'token issuer does not match';
    if (err.claim === 'iat') return 'token issued-at time is invalid';
    return `token claim "${err.claim}" is invalid`;
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'token signing algorithm is not allowed';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'no signing key of the issuer matches the token (unknown kid)';
  if (err instanceof joseErrors.JWKSMultipleMatchingKeys) return 'token key id is ambiguous';
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'token is malformed';
  if (err instanceof joseErrors.JOSENotSupported) return 'token uses an unsupported algorithm or key';
  return 'token could not be verified';
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function createTokenVerifier(o: TokenVerifierOptions): TokenVerifier {
  const trusted = new Set(o.issuers);
  const tolerance = o.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;

  return {
    async verify(authorization) {
      if (!authorization) throw new UnauthorizedError('missing Authorization header (expected "Bearer <token>")');
      const token = BEARER.exec(authorization)?.[1];
      if (!token) throw new UnauthorizedError('Authorization header must use the Bearer scheme');
      let unverified: JWTPayload;
      let header: ProtectedHeaderParameters;
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch {
        throw new UnauthorizedError('token is malformed');
      }
      const alg = header.alg;
      if (!alg || alg.toLowerCase() === 'none') throw new UnauthorizedError('unsigned tokens (alg "none") are not accepted');
      // RFC 7515 §4.1.11: a critical extension the recipient does not implement voids the token; this service implements none.
      if (header.crit !== undefined) throw new UnauthorizedError('token marks header parameters as critical (crit) that this service does not support');
      if (!ASYMMETRIC_ALGORITHMS.includes(alg)) throw new UnauthorizedError(`token signing algorithm ${alg} is not allowed`);
      const issuer = unverified.iss;
      if (typeof issuer !== 'string' || !trusted.has(issuer)) {
        throw new UnauthorizedError(`token issuer ${JSON.stringify(issuer ?? null).slice(0, 200)} is not trusted`);
      }
      const keys = await o.jwks.keyFor(issuer);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer,
          audience: o.audience,
          requiredClaims: ['exp'],
          algorithms: ASYMMETRIC_ALGORITHMS,
          clockTolerance: tolerance,
          currentDate: o.now?.(),
        }));
      } catch (err) {
        if (err instanceof ServiceError) throw err;
        throw new UnauthorizedError(describeJoseError(err));
      }
      // jose checks iat only against a maximum age: a token minted in the future is a forgery or a broken issuer clock.
      const nowSec = Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
      if (typeof payload.iat === 'number' && payload.iat > nowSec + tolerance) throw new UnauthorizedError('token issued-at time (iat) is in the future');
      const sub = optionalString(payload.sub);
      if (!sub) throw new UnauthorizedError('token has no subject (sub)');
      const groups = readGroups(payload as Record<string, unknown>, o.groupsClaim);
      const isAdmin = isMemberOfAny(groups, o.adminGroups);
      if (o.allowedGroups?.length && !isAdmin && !isMemberOfAny(groups, o.allowedGroups)) {
        throw new ForbiddenError(`Access is restricted to members of: ${o.allowedGroups.join(', ')}`);
      }
      return {
        issuer,
        sub,
        name: optionalString(payload.name),
        username: optionalString(payload.preferred_username),
        email: optionalString(payload.email),
        groups,
        isAdmin,
        accessToken: token,
        expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
      };
    },
  };
}
