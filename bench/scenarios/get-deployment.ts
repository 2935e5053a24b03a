import { sampleDeploymentId } from '../lib/deployment-fixtures.js';
import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { productApi } from '../lib/product-api.js';
import type { Scenario } from '../lib/types.js';

export const getDeployment: Scenario = {
  name: 'get-deployment',
  kind: 'product',
  unit: 'req/s',
  vs: 'http-pg-raw',
  target: { on: 'ratio', op: '>=', limit: 0.8 },
  description: 'GET /api/v1/deployments/{id} (owners and attempts included) with a dev-issuer token; one deployment created through the API.',
  prepare: (ctx) => Promise.all([sampleDeploymentId(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const id = await sampleDeploymentId(ctx);
    const api = await productApi(ctx);
    return throughput(await loadFor(ctx, { url: `${api.url}/api/v1/deployments/${id}`, headers: api.authHeaders }, api.pid));
  },
};
