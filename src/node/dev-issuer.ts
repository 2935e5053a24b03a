import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JSONWebKeySet } from 'jose';

interface StoredDevIssuer {
  issuer: string;
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface DevIssuer {
  issuer: string;
  /** `${issuer}/token`: the refresh_token grant (see dev-issuer-token.ts). */
  tokenEndpoint: string;
  jwks: JSONWebKeySet;
  keySet: ReturnType<typeof createLocalJWKSet>;
  mint(claims: DevTokenClaims): Promise<string>;
  /**
   * A refresh token for these claims: access tokens minted from it carry them (and live
   * `claims.expiresInSec`, default 3600 s); the refresh token itself lives `refreshExpiresInSec`
   * (default 30 days). See `refresh` for what it is and why it cannot be revoked.
   */
  mintRefreshToken(claims: DevTokenClaims, refreshExpiresInSec?: number): Promise<string>;
  /** The refresh_token grant: a new access token for the refresh token's subject, or the OAuth error. */
  refresh(refreshToken: string): Promise<DevRefreshAnswer>;
}

export type DevRefreshAnswer =
  | { ok: true; accessToken: string; expiresIn: number }
  | { ok: false; error: 'invalid_grant'; description: string };

export interface DevTokenClaims {
  sub: string;
  groups?: string[];
  name?: string;
  email?: string;
  preferredUsername?: string;
  audience?: string;
  expiresInSec?: number;
}

const FILE = 'dev-issuer.json';
const REFRESH_TYP = 'rt+jwt';
const DEFAULT_REFRESH_TTL_SEC = 30 * 24 * 3600;

/**
 * Dev refresh tokens are JWTs MACed (HS256) with a key derived from the issuer's private key, so
 * `npm run token` (another process) can mint them and the API accepts them with no shared state.
 * HS256 keeps them from passing as access tokens: the verifier accepts asymmetric algorithms only.
 * Being stateless they cannot be revoked; they expire (default 30 days) or die with the key file.
 */
async function refreshKey(stored: StoredDevIssuer): Promise<Uint8Array> {
  const d = stored.privateJwk.d;
  if (!d) throw new Error('dev issuer key has no private part');
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(d), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('orchestrator/dev-issuer'), info: new TextEncoder().encode('refresh-token v1') },
    material,
    256,
  );
  return new Uint8Array(bits);
}

function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

async function build(stored: StoredDevIssuer): Promise<DevIssuer> {
  const privateKey = await importJWK(stored.privateJwk, 'ES256');
  const macKey = await refreshKey(stored);
  const jwks = { keys: [{ ...stored.publicJwk, kid: stored.kid, alg: 'ES256', use: 'sig' }] };
  const tokenEndpoint = `${stored.issuer}/token`;
  const mint = (c: DevTokenClaims) =>
    new SignJWT({
      groups: c.groups ?? ['users'],
      name: c.name ?? c.sub,
      preferred_username: c.preferredUsername ?? c.sub,
      email: c.email ?? `${c.sub}@example.org`,
    })
      .setProtectedHeader({ alg: 'ES256', kid: stored.kid, typ: 'JWT' })
      .setIssuer(stored.issuer)
      .setSubject(c.sub)
      .setAudience(c.audience ?? 'orchestrator')
      .setIssuedAt()
      .setExpirationTime(`${c.expiresInSec ?? 3600}s`)
      .sign(privateKey);
  return {
    issuer: stored.issuer,
    tokenEndpoint,
    jwks,
    keySet: createLocalJWKSet(jwks),
    mint,
    mintRefreshToken: (c, refreshExpiresInSec = DEFAULT_REFRESH_TTL_SEC) =>
      new SignJWT({
        groups: c.groups ?? ['users'],
        name: c.name,
        email: c.email,
        preferred_username: c.preferredUsername,
        access_aud: c.audience,
        access_ttl: c.expiresInSec,
      })
        .setProtectedHeader({ alg: 'HS256', typ: REFRESH_TYP })
        .setIssuer(stored.issuer)
        .setSubject(c.sub)
        .setAudience(tokenEndpoint)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${refreshExpiresInSec}s`)
        .sign(macKey),
    async refresh(refreshToken) {
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(refreshToken, macKey, {
          algorithms: ['HS256'],
          typ: REFRESH_TYP,
          issuer: stored.issuer,
          audience: tokenEndpoint,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch {
        return { ok: false, error: 'invalid_grant', description: 'refresh token is invalid, expired or from another dev issuer key' };
      }
      const ttl = typeof claims.access_ttl === 'number' && claims.access_ttl > 0 ? claims.access_ttl : 3600;
      const accessToken = await mint({
        sub: String(claims.sub),
        groups: stringArray(claims.groups),
        name: optionalString(claims.name),
        email: optionalString(claims.email),
        preferredUsername: optionalString(claims.preferred_username),
        audience: optionalString(claims.access_aud),
        expiresInSec: ttl,
      });
      return { ok: true, accessToken, expiresIn: ttl };
    },
  };
}

/** Loads the dev issuer key from the data dir, creating it (and updating its issuer URL) as needed. */
export async function loadOrCreateDevIssuer(dataDir: string, issuer: string): Promise<DevIssuer> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, FILE);
  if (!existsSync(path)) {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const fresh: StoredDevIssuer = {
      issuer,
      kid: `dev-${crypto.randomUUID().slice(0, 8)}`,
      privateJwk: await exportJWK(privateKey),
      publicJwk: await exportJWK(publicKey),
    };
    try {
      // 'wx': replicas sharing the data dir race to create it; exactly one key wins.
      writeFileSync(path, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredDevIssuer;
  if (stored.issuer !== issuer) {
    stored.issuer = issuer;
    writeFileSync(path, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return build(stored);
}

/** For `npm run token`: the issuer the last `npm start` wrote. */
export async function readDevIssuer(dataDir: string): Promise<DevIssuer> {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) throw new Error(`no dev issuer in ${path}: run \`npm start\` once first (or set DATA_DIR)`);
  return build(JSON.parse(readFileSync(path, 'utf8')) as StoredDevIssuer);
}
