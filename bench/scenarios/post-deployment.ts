import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { benchTemplateId, deploymentBody, postDeployment } from '../lib/deployment-fixtures.js';
import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { productApi } from '../lib/product-api.js';
import type { Scenario } from '../lib/types.js';
import { QUEUES } from '../../src/queue/names.js';

/** No worker runs during the bench: the jobs the API enqueued are dropped after each round. */
async function drainDeploymentsQueue(redisUrl: string, prefix: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUES.deployments, { connection: connection as unknown as ConnectionOptions, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export const postDeploymentScenario: Scenario = {
  name: 'post-deployment',
  kind: 'product',
  unit: 'req/s',
  vs: 'insert-enqueue-raw',
  target: { on: 'ratio', op: '>=', limit: 0.7 },
  description: 'POST /api/v1/deployments (202) of the single-node template: validation, stored rows and the create job, without workers.',
  prepare: (ctx) => Promise.all([benchTemplateId(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    await postDeployment(ctx);
    const api = await productApi(ctx);
    const headers = { ...api.authHeaders, 'content-type': 'application/json' };
    const body = JSON.stringify(deploymentBody(await benchTemplateId(ctx)));
    try {
      // As many requests in flight as insert-enqueue-raw has inserts.
      return throughput(
        await loadFor(ctx, { url: `${api.url}/api/v1/deployments`, method: 'POST', headers, body, connections: ctx.sizes.inFlight }, api.pid),
      );
    } finally {
      await drainDeploymentsQueue(ctx.redisUrl, ctx.prefix);
    }
  },
};
