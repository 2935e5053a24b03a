import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { pgRawServer } from '../lib/raw-servers.js';
import { seededUsers } from '../lib/seed-users.js';
import type { Scenario } from '../lib/types.js';

export const httpPgJwtRaw: Scenario = {
  name: 'http-pg-jwt-raw',
  kind: 'raw',
  unit: 'req/s',
  description: 'Diagnostic: http-pg-raw plus a bare jose ES256 verification of the bearer token, the ceiling of any authenticated read.',
  prepare: (ctx) => Promise.all([seededUsers(ctx), pgRawServer(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const { sampleId } = await seededUsers(ctx);
    const server = await pgRawServer(ctx);
    return throughput(
      await loadFor(ctx, { url: `${server.url}/authenticated/users/${sampleId}`, headers: { authorization: `Bearer ${server.token}` } }, server.pid),
    );
  },
};
