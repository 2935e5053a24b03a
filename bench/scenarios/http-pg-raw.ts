import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { pgRawServer } from '../lib/raw-servers.js';
import { seededUsers } from '../lib/seed-users.js';
import type { Scenario } from '../lib/types.js';

export const httpPgRaw: Scenario = {
  name: 'http-pg-raw',
  kind: 'raw',
  unit: 'req/s',
  description: 'Bare Hono + postgres.js: one users row selected by primary key and returned as JSON.',
  prepare: (ctx) => Promise.all([seededUsers(ctx), pgRawServer(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const { sampleId } = await seededUsers(ctx);
    const server = await pgRawServer(ctx);
    return throughput(await loadFor(ctx, { url: `${server.url}/users/${sampleId}` }, server.pid));
  },
};
