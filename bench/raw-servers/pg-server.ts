import { Hono } from 'hono';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import postgres from 'postgres';
import type { CapturedQuery } from '../lib/list-users-sql.js';
import { serveAndAnnounce } from './serve.js';

const sql = postgres(process.env.DATABASE_URL ?? '', {
  max: Number(process.env.BENCH_POOL_MAX ?? 10),
  onnotice: () => {},
});
const [listRows, listCount] = JSON.parse(process.env.BENCH_LIST_SQL ?? '[]') as CapturedQuery[];

const jwks = createLocalJWKSet(JSON.parse(process.env.BENCH_JWKS ?? '{"keys":[]}') as JSONWebKeySet);
const issuer = process.env.BENCH_ISSUER ?? '';

const app = new Hono();
app.get('/users/:id', async (c) => {
  const [row] = await sql`select * from users where id = ${c.req.param('id')}`;
  return row ? c.json(row) : c.json({ detail: 'not found' }, 404);
});
app.get('/authenticated/users/:id', async (c) => {
  const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (!token) return c.json({ detail: 'no token' }, 401);
  try {
    await jwtVerify(token, jwks, { issuer, audience: 'orchestrator', algorithms: ['ES256'] });
  } catch {
    return c.json({ detail: 'bad token' }, 401);
  }
  const [row] = await sql`select * from users where id = ${c.req.param('id')}`;
  return row ? c.json(row) : c.json({ detail: 'not found' }, 404);
});
app.get('/users', async (c) => {
  const [rows, count] = await Promise.all([
    sql.unsafe(listRows.text, listRows.params as never[]),
    sql.unsafe(listCount.text, listCount.params as never[]),
  ]);
  return c.json({ data: rows, total: Number(Object.values(count[0] ?? {})[0] ?? 0) });
});

serveAndAnnounce(app.fetch, () => sql.end({ timeout: 2 }));
