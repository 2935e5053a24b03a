import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { productApi } from '../lib/product-api.js';
import { seededUsers } from '../lib/seed-users.js';
import type { Scenario } from '../lib/types.js';

export const getUser: Scenario = {
  name: 'get-user',
  kind: 'product',
  unit: 'req/s',
  vs: 'http-pg-raw',
  target: { on: 'ratio', op: '>=', limit: 0.8 },
  description: 'GET /api/v1/users/{id} with a dev-issuer token verified on every request; the same row as http-pg-raw.',
  prepare: (ctx) => Promise.all([seededUsers(ctx), productApi(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const { sampleId } = await seededUsers(ctx);
    const api = await productApi(ctx);
    return throughput(await loadFor(ctx, { url: `${api.url}/api/v1/users/${sampleId}`, headers: api.authHeaders }, api.pid));
  },
};
