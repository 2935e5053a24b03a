import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { BenchContext } from './context.js';
import { captureListUsersSql } from './list-users-sql.js';
import { startAnnouncingServer, type RunningServer } from './raw-server.js';

/** Bare Hono on @hono/node-server: `GET /hello` answers a small JSON. */
export function helloRawServer(ctx: BenchContext): Promise<RunningServer> {
  return startAnnouncingServer(ctx, 'raw-hello', 'bench/raw-servers/hello-server.ts', () => ({}));
}

export interface PgRawServer extends RunningServer {
  /** An ES256 token the `/authenticated/…` route accepts. */
  token: string;
}

const ISSUER = 'https://issuer.bench.example.org';

/**
 * Bare Hono + postgres.js: `GET /users/:id` (one row by primary key), the same behind a jose
 * ES256 check of the bearer token (`GET /authenticated/users/:id`), and `GET /users` (the list SQL).
 */
export function pgRawServer(ctx: BenchContext): Promise<PgRawServer> {
  return ctx.once('raw-pg-with-token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] };
    const token = await new SignJWT({ groups: ['users', 'admins'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject('bench')
      .setAudience('orchestrator')
      .setIssuedAt()
      .setExpirationTime('6h')
      .sign(privateKey);
    const server = await startAnnouncingServer(ctx, 'raw-pg', 'bench/raw-servers/pg-server.ts', async () => ({
      DATABASE_URL: ctx.database.url,
      BENCH_POOL_MAX: String(ctx.sizes.poolMax),
      BENCH_LIST_SQL: JSON.stringify(await captureListUsersSql(ctx.database.url)),
      BENCH_JWKS: JSON.stringify(jwks),
      BENCH_ISSUER: ISSUER,
    }));
    return { ...server, token };
  });
}

/** Bare Hono + postgres.js replaying captured statements: `PUT /scripts/:name`, then `GET /replay/:name`. */
export function sqlReplayServer(ctx: BenchContext): Promise<RunningServer> {
  return startAnnouncingServer(ctx, 'raw-sql-replay', 'bench/raw-servers/sql-replay-server.ts', () => ({
    DATABASE_URL: ctx.database.url,
    BENCH_POOL_MAX: String(ctx.sizes.poolMax),
  }));
}
