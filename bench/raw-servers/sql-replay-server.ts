import { Hono } from 'hono';
import postgres from 'postgres';
import type { CapturedStages } from '../lib/capture-sql.js';
import { serveAndAnnounce } from './serve.js';

const sql = postgres(process.env.DATABASE_URL ?? '', {
  max: Number(process.env.BENCH_POOL_MAX ?? 10),
  onnotice: () => {},
});
const scripts = new Map<string, CapturedStages>();

const app = new Hono();
// The harness uploads the statements it captured from our repositories, then loads GET /replay/:name.
app.put('/scripts/:name', async (c) => {
  scripts.set(c.req.param('name'), await c.req.json<CapturedStages>());
  return c.body(null, 204);
});
app.get('/replay/:name', async (c) => {
  const stages = scripts.get(c.req.param('name'));
  if (!stages) return c.json({ detail: 'no such script' }, 404);
  const results: unknown[][] = [];
  for (const stage of stages) {
    results.push(await Promise.all(stage.map((q) => sql.unsafe(q.text, q.params as never[]))));
  }
  return c.json({ results });
});

serveAndAnnounce(app.fetch, () => sql.end({ timeout: 2 }));
