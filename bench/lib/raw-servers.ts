import type { BenchContext } from './context.js';
import { captureListUsersSql } from './list-users-sql.js';
import { startAnnouncingServer, type RunningServer } from './raw-server.js';

/** Bare Hono on @hono/node-server: `GET /hello` answers a small JSON. */
export function helloRawServer(ctx: BenchContext): Promise<RunningServer> {
  return startAnnouncingServer(ctx, 'raw-hello', 'bench/raw-servers/hello-server.ts', () => ({}));
}

/** Bare Hono + postgres.js: `GET /users/:id` (one row by primary key) and `GET /users` (the list SQL). */
export function pgRawServer(ctx: BenchContext): Promise<RunningServer> {
  return startAnnouncingServer(ctx, 'raw-pg', 'bench/raw-servers/pg-server.ts', async () => ({
    DATABASE_URL: ctx.database.url,
    BENCH_POOL_MAX: String(ctx.sizes.poolMax),
    BENCH_LIST_SQL: JSON.stringify(await captureListUsersSql(ctx.database.url)),
  }));
}
