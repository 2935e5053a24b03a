import { memoryOf } from '../lib/child.js';
import { seededSimulator } from '../lib/im-sim.js';
import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { helloRawServer } from '../lib/raw-servers.js';
import type { Scenario } from '../lib/types.js';

export const imSimCapacity: Scenario = {
  name: 'im-sim-capacity',
  kind: 'product',
  unit: 'req/s',
  vs: 'http-hello-raw',
  description: 'GET /infrastructures/{id}/state over 1,000 live infrastructures of the IM simulator (own process), 50 polling clients; RSS of the simulator.',
  prepare: (ctx) => Promise.all([seededSimulator(ctx), helloRawServer(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const sim = await seededSimulator(ctx);
    const result = await loadFor(ctx, {
      url: sim.url,
      connections: ctx.sizes.imClients,
      headers: { authorization: sim.authorization, accept: 'application/json' },
      paths: sim.infIds.map((id) => `/infrastructures/${id}/state`),
    }, sim.pid);
    const memory = memoryOf(sim.pid);
    const bare = memoryOf((await helloRawServer(ctx)).pid);
    const measured = throughput(result);
    return {
      ...measured,
      extra: {
        ...measured.extra,
        infrastructures: sim.infIds.length,
        clients: ctx.sizes.imClients,
        rss_mb: memory ? Math.round(memory.rssMb) : 'n/a',
        peak_rss_mb: memory ? Math.round(memory.peakMb) : 'n/a',
        rss_vs_bare_hono: memory && bare ? Math.round((memory.rssMb / bare.rssMb) * 100) / 100 : 'n/a',
      },
    };
  },
};
