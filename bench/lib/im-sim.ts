import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildImAuthHeader, createImClient, type CloudLine, type ImCredentials } from '../../src/im/index.js';
import { REPO_ROOT } from './child.js';
import type { BenchContext } from './context.js';
import { TOSCA_TYPES_DIR } from './product-api.js';
import { startAnnouncingServer } from './raw-server.js';
import { SkipScenario } from './types.js';

export interface SeededSimulator {
  url: string;
  pid: number;
  infIds: string[];
  /** The header that owns the infrastructures (IM line + one OpenStack line). */
  authorization: string;
}

const CREDENTIALS: ImCredentials = { username: 'bench', password: 'bench-im-password' };
const CLOUD: CloudLine = { id: 'ost', type: 'OpenStack', host: 'https://keystone.bench.example.org:5000', username: 'bench', tenant: 'oidc' };
const ACCESS_TOKEN = 'bench-access-token';

/** One VM, the shape most deployments have. */
const TOSCA = `tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
topology_template:
  node_templates:
    server:
      type: tosca.nodes.indigo.Compute
      capabilities:
        endpoint:
          properties:
            network_name: PUBLIC
        host:
          properties:
            num_cpus: 2
            mem_size: 4 GB
        os:
          properties:
            type: linux
            distribution: ubuntu
            version: 22.04
  outputs:
    node_ip:
      value: { get_attribute: [ server, public_address, 0 ] }
`;

/**
 * The IM simulator in its own process, holding `sizes.imInfrastructures` infrastructures created
 * through our IM client (once per run).
 */
export function seededSimulator(ctx: BenchContext): Promise<SeededSimulator> {
  if (!existsSync(join(REPO_ROOT, 'src/node/im-sim-server.ts'))) {
    return Promise.reject(new SkipScenario('the IM simulator server (src/node/im-sim-server.ts) does not exist yet'));
  }
  return ctx.once('im-sim-seeded', async () => {
    const env: Record<string, string> = existsSync(TOSCA_TYPES_DIR) ? { TOSCA_TYPES_DIR } : {};
    const sim = await startAnnouncingServer(ctx, 'im-sim', 'bench/lib/im-sim-process.ts', () => env);
    const client = createImClient({ baseUrl: sim.url, credentials: CREDENTIALS, timeoutMs: 60_000, retries: 0 });
    const call = { cloud: CLOUD, accessToken: ACCESS_TOKEN };
    const infIds: string[] = [];
    const total = ctx.sizes.imInfrastructures;
    const inFlight = Math.min(50, total);
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < total) {
          next++;
          infIds.push((await client.createInfrastructure(call, TOSCA, { async: true })).infId);
        }
      }),
    );
    return { url: sim.url, pid: sim.pid, infIds, authorization: buildImAuthHeader(CREDENTIALS, CLOUD, ACCESS_TOKEN) };
  });
}
