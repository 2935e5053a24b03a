import { latency, loadFor, loadGenerator } from '../lib/load.js';
import { productApi } from '../lib/product-api.js';
import { pgRawServer } from '../lib/raw-servers.js';
import { seededUsers } from '../lib/seed-users.js';
import type { Scenario } from '../lib/types.js';

async function totalOf(url: string, headers: Record<string, string>, pick: (body: never) => number): Promise<number> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return pick((await res.json()) as never);
}

export const listUsers: Scenario = {
  name: 'list-users',
  kind: 'product',
  unit: 'ms',
  baselineLabel: 'same SQL on bare Hono + postgres.js',
  target: { on: 'ratio', op: '<=', limit: 1.5 },
  description: 'Mean latency of page 1 of GET /api/v1/users (admin, -created_at) over the seeded users, against a bare endpoint running the same SQL.',
  prepare: (ctx) => Promise.all([seededUsers(ctx), pgRawServer(ctx), productApi(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const seeded = await seededUsers(ctx);
    const raw = await pgRawServer(ctx);
    const api = await productApi(ctx);
    const rawTotal = await totalOf(`${raw.url}/users`, {}, (b: { total: number }) => b.total);
    const apiTotal = await totalOf(`${api.url}/api/v1/users`, api.authHeaders, (b: { page: { total_elements: number } }) => b.page.total_elements);
    if (rawTotal !== apiTotal || rawTotal < seeded.count) {
      throw new Error(`the two endpoints do not list the same rows (raw ${rawTotal}, API ${apiTotal}, seeded ${seeded.count})`);
    }
    const base = await loadFor(ctx, { url: `${raw.url}/users` }, raw.pid);
    const product = latency(await loadFor(ctx, { url: `${api.url}/api/v1/users`, headers: api.authHeaders }, api.pid));
    return {
      ...product,
      baseline: base.meanMs,
      extra: { ...product.extra, raw_rps: Math.round(base.rps), ...(base.serverCores === undefined ? {} : { raw_server_cpu: base.serverCores }), users: apiTotal },
    };
  },
};
