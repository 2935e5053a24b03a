import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  /** Extra protected header parameters (jku, jwk, crit...), merged over alg/kid/typ. */
  header?: Record<string, unknown>;
}

export interface TestIssuerOptions {
  audience?: string;
  /** When set, the token endpoint only serves this client (client_id in the body or HTTP Basic). */
  clientId?: string;
  /** When set, the token endpoint requires HTTP Basic with clientId and this secret. */
  clientSecret?: string;
  /** Each refresh answers a new refresh token and revokes the one used (default false). */
  rotateRefreshTokens?: boolean;
  /** Lifetime of access tokens minted by the token endpoint (default 600 s). */
  refreshedTokenTtlSec?: number;
}

/** What the token endpoint received, for assertions on client authentication. */
export interface TokenRequestRecord {
  authorization?: string;
  contentType?: string;
  form: Record<string, string>;
}

export interface TestIssuer {
  issuer: string;
  publicJwk: JWK;
  kid: string;
  discoveryRequests(): number;
  jwksRequests(): number;
  tokenRequests(): TokenRequestRecord[];
  mint(sub: string, options?: MintOptions): Promise<string>;
  /** An opaque refresh token for `sub`, kept in memory; the token endpoint mints tokens with `claims` merged in. */
  mintRefreshToken(sub: string, claims?: Record<string, unknown>): string;
  revokeRefreshToken(refreshToken: string): void;
  /** Publishes a new signing key beside the current ones and signs with it from now on; returns its kid. */
  rotateKey(): Promise<string>;
  /** Removes a key from the JWKS (a revoked or retired key); `mint` can still sign with it by kid. */
  retireKey(kid: string): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded inside HTTP Basic. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const un = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: un(decoded.slice(0, colon)), secret: un(decoded.slice(colon + 1)) };
}

/** A real OIDC issuer over HTTP (discovery, JWKS, refresh_token grant) with request counters, for auth tests. */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k-${crypto.randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const signingKeys = new Map<string, CryptoKey>([[kid, privateKey]]);
  let published: JWK[] = [publicJwk];
  let currentKid = kid;
  let discovery = 0;
  let jwks = 0;
  let issuer = '';
  const tokenLog: TokenRequestRecord[] = [];
  const refreshTokens = new Map<string, { sub: string; claims: Record<string, unknown> }>();

  function newRefreshToken(sub: string, claims: Record<string, unknown>): string {
    const token = `rt-${crypto.randomUUID()}`;
    refreshTokens.set(token, { sub, claims });
    return token;
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    tokenLog.push({ authorization: req.headers.authorization, contentType: req.headers['content-type'], form });
    const basic = basicCredentials(req.headers.authorization);
    const clientId = basic?.id ?? form.client_id;
    if (options.clientId !== undefined && clientId !== options.clientId) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'unknown client' }, { 'www-authenticate': 'Basic' });
    }
    if (options.clientSecret !== undefined && basic?.secret !== options.clientSecret) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' }, { 'www-authenticate': 'Basic' });
    }
    if (form.grant_type !== 'refresh_token') return sendJson(res, 400, { error: 'unsupported_grant_type' });
    const grant = form.refresh_token ? refreshTokens.get(form.refresh_token) : undefined;
    if (!grant) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'refresh token is invalid, expired or revoked' });
    const accessToken = await mint(grant.sub, { expiresInSec: options.refreshedTokenTtlSec ?? 600, claims: grant.claims });
    let rotated: string | undefined;
    if (options.rotateRefreshTokens) {
      refreshTokens.delete(form.refresh_token);
      rotated = newRefreshToken(grant.sub, grant.claims);
    }
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: options.refreshedTokenTtlSec ?? 600,
      ...(rotated ? { refresh_token: rotated } : {}),
    }, { 'cache-control': 'no-store' });
  }

  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      discovery++;
      sendJson(res, 200, { issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token`, grant_types_supported: ['refresh_token'] });
    } else if (req.url === '/jwks') {
      jwks++;
      sendJson(res, 200, { keys: published });
    } else if (req.url === '/token' && req.method === 'POST') {
      token(req, res).catch(() => sendJson(res, 500, { error: 'server_error' }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function mint(sub: string, o: MintOptions = {}): Promise<string> {
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
      .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: o.kid ?? currentKid, typ: 'JWT', ...o.header })
      // jose refuses to sign a `crit` it does not know unless told the extensions are understood.
      .sign(o.key ?? signingKeys.get(o.kid ?? currentKid) ?? signingKeys.get(currentKid)!, {
        crit: Object.fromEntries(((o.header?.crit as string[] | undefined) ?? []).map((name) => [name, true])),
      });
  }

  return {
    issuer,
    publicJwk,
    kid,
    discoveryRequests: () => discovery,
    jwksRequests: () => jwks,
    tokenRequests: () => [...tokenLog],
    mint,
    mintRefreshToken: (sub, claims = {}) => newRefreshToken(sub, claims),
    revokeRefreshToken: (rt) => void refreshTokens.delete(rt),
    async rotateKey() {
      const next = await generateKeyPair('ES256', { extractable: true });
      const nextKid = `k-${crypto.randomUUID().slice(0, 8)}`;
      published = [...published, { ...(await exportJWK(next.publicKey)), kid: nextKid, alg: 'ES256', use: 'sig' }];
      signingKeys.set(nextKid, next.privateKey);
      currentKid = nextKid;
      return nextKid;
    },
    retireKey: (retired) => void (published = published.filter((k) => k.kid !== retired)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
