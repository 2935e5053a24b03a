import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JSONWebKeySet } from 'jose';

interface StoredDevIssuer {
  issuer: string;
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface DevIssuer {
  issuer: string;
  jwks: JSONWebKeySet;
  keySet: ReturnType<typeof createLocalJWKSet>;
  mint(claims: DevTokenClaims): Promise<string>;
}

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

async function build(stored: StoredDevIssuer): Promise<DevIssuer> {
  const privateKey = await importJWK(stored.privateJwk, 'ES256');
  const jwks = { keys: [{ ...stored.publicJwk, kid: stored.kid, alg: 'ES256', use: 'sig' }] };
  return {
    issuer: stored.issuer,
    jwks,
    keySet: createLocalJWKSet(jwks),
    mint: (c) =>
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
        .sign(privateKey),
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
