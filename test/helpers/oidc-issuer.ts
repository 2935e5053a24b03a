import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface MintOptions {
  /** Claims merged over the defaults (iss, sub, aud, iat, exp, groups...). */
  claims?: JWTPayload & Record<string, unknown>;
  kid?: string;
  alg?: string;
  key?: CryptoKey | Uint8Array;
  expiresInSec?: number;
  notBeforeSec?: number;
}

export interface TestIssuer {
  issuer: string;
  publicJwk: JWK;
  kid: string;
  discoveryRequests(): number;
  jwksRequests(): number;
  mint(sub: string, options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

/** A real OIDC issuer over HTTP (discovery + JWKS) with request counters, for auth tests. */
export async function startTestIssuer(options: { audience?: string } = {}): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k-${crypto.randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  let discovery = 0;
  let jwks = 0;
  let issuer = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      discovery++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === '/jwks') {
      jwks++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    publicJwk,
    kid,
    discoveryRequests: () => discovery,
    jwksRequests: () => jwks,
    async mint(sub, o = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: issuer,
        sub,
        aud: options.audience ?? 'orchestrator',
        iat: now,
        exp: now + (o.expiresInSec ?? 600),
        ...(o.notBeforeSec !== undefined ? { nbf: now + o.notBeforeSec } : {}),
        name: `${sub} tester`,
        preferred_username: sub,
        email: `${sub}@example.org`,
        groups: ['users'],
        ...o.claims,
      };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: o.kid ?? kid, typ: 'JWT' })
        .sign(o.key ?? privateKey);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
