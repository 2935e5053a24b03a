import { captureStages } from '../lib/capture-sql.js';
import type { BenchContext } from '../lib/context.js';
import { loadFor, loadGenerator } from '../lib/load.js';
import { productApi } from '../lib/product-api.js';
import { sqlReplayServer } from '../lib/raw-servers.js';
import { seededDeployments } from '../lib/seed-deployments.js';
import type { Measurement, Scenario } from '../lib/types.js';
import { listDeployments } from '../../src/services/deployments/list-deployments.js';
import type { Caller } from '../../src/services/deployments/access.js';

const PAGE = { limit: 10, offset: 0, sort: { field: 'created_at', direction: 'desc' } } as const;

interface ListCase {
  name: 'owner' | 'admin';
  /** Query string of the product request. */
  query: string;
  token(ctx: BenchContext): Promise<{ token: string; caller: Caller }>;
}

async function ownerCaller(ctx: BenchContext): Promise<{ token: string; caller: Caller }> {
  const api = await productApi(ctx);
  const { owners } = await seededDeployments(ctx);
  const owner = owners[0];
  const token = await api.mint(owner.sub, ['users']);
  const identity = { issuer: api.issuer, sub: owner.sub, groups: ['users'], isAdmin: false, accessToken: token };
  return { token, caller: { identity, userId: owner.id } };
}

async function adminCaller(ctx: BenchContext): Promise<{ token: string; caller: Caller }> {
  const api = await productApi(ctx);
  const identity = { issuer: api.issuer, sub: 'bench', groups: ['users', 'admins'], isAdmin: true, accessToken: api.token };
  return { token: api.token, caller: { identity, userId: api.userId } };
}

async function totalOf(url: string, token: string): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { page: { total_elements: number } }).page.total_elements;
}

/**
 * p50 latency of page 1 through the API against the same statements on bare Hono + postgres.js.
 * The statements are captured from the list service just before the load, so both see the same rows.
 */
async function measureList(ctx: BenchContext, c: ListCase): Promise<Measurement> {
  const seeded = await seededDeployments(ctx);
  const api = await productApi(ctx);
  const raw = await sqlReplayServer(ctx);
  const { token, caller } = await c.token(ctx);
  const stages = await captureStages(ctx.database.url, (db) => listDeployments(db, caller, c.name === 'owner' ? { ownedBy: 'me' } : {}, PAGE));
  const put = await fetch(`${raw.url}/scripts/${c.name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stages) });
  if (!put.ok) throw new Error(`the replay server refused the ${c.name} statements: ${put.status}`);
  const url = `${api.url}/api/v1/deployments${c.query}`;
  const total = await totalOf(url, token);
  const expected = c.name === 'owner' ? Math.floor(seeded.count / seeded.owners.length) : seeded.count;
  if (total < expected) throw new Error(`the ${c.name} list counts ${total} deployments, fewer than the ${expected} loaded`);

  const connections = ctx.sizes.listConnections;
  const base = await loadFor(ctx, { url: `${raw.url}/replay/${c.name}`, connections }, raw.pid);
  const product = await loadFor(ctx, { url, headers: { authorization: `Bearer ${token}` }, connections }, api.pid);
  return {
    value: product.p50Ms,
    baseline: base.p50Ms,
    p50_ms: product.p50Ms,
    p99_ms: product.p99Ms,
    extra: {
      rps: Math.round(product.rps),
      raw_rps: Math.round(base.rps),
      ...(product.serverCores === undefined ? {} : { server_cpu: product.serverCores }),
      listed: total,
      deployments: seeded.count,
      statements: stages.flat().length,
      connections,
    },
  };
}

const prepare = (ctx: BenchContext) => Promise.all([seededDeployments(ctx), sqlReplayServer(ctx), loadGenerator(ctx)]);

export const list1m: Scenario = {
  name: 'list-1m',
  kind: 'product',
  unit: 'ms',
  baselineLabel: 'same SQL on bare Hono + postgres.js',
  target: { on: 'ratio', op: '<=', limit: 1.5 },
  description:
    "p50 latency of page 1 of an owner's deployments (GET /api/v1/deployments?owned_by=me, non-admin token) over the loaded deployments (1M in full runs), against a bare endpoint running the same SQL.",
  prepare,
  run: (ctx) => measureList(ctx, { name: 'owner', query: '?owned_by=me', token: ownerCaller }),
};

export const list1mAdmin: Scenario = {
  name: 'list-1m-admin',
  kind: 'product',
  unit: 'ms',
  baselineLabel: 'same SQL on bare Hono + postgres.js',
  target: { on: 'ratio', op: '<=', limit: 1.5 },
  description: 'p50 latency of page 1 of the admin list (GET /api/v1/deployments, no filter) over the same deployments, against a bare endpoint running the same SQL.',
  prepare,
  run: (ctx) => measureList(ctx, { name: 'admin', query: '', token: adminCaller }),
};
