import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { helloRawServer } from '../lib/raw-servers.js';
import type { Scenario } from '../lib/types.js';

export const httpHelloRaw: Scenario = {
  name: 'http-hello-raw',
  kind: 'raw',
  unit: 'req/s',
  description: 'Bare Hono on @hono/node-server answering a small JSON: the ceiling of any HTTP route here.',
  prepare: (ctx) => Promise.all([helloRawServer(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const server = await helloRawServer(ctx);
    return throughput(await loadFor(ctx, { url: `${server.url}/hello` }, server.pid));
  },
};
