import type { BenchContext } from './context.js';
import { productApi } from './product-api.js';
import { SkipScenario } from './types.js';

/** One INDIGO compute node with a secret input: what a small real deployment looks like. */
export const SINGLE_NODE_TEMPLATE = `tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
description: bench single node
topology_template:
  inputs:
    vm_count:
      type: integer
      default: 1
    admin_password:
      type: string
      default: TopSecret-Input-1
  node_templates:
    server:
      type: tosca.nodes.indigo.Compute
      capabilities:
        scalable:
          properties:
            count: { get_input: vm_count }
        endpoint:
          properties:
            network_name: PUBLIC
        host:
          properties:
            num_cpus: 2
            mem_size: 4 GB
        os:
          properties:
            image: ubuntu-22.04
  outputs:
    node_ip:
      value: { get_attribute: [ server, public_address, 0 ] }
`;

/** The group every bench deployment is made for; the bench token carries it and every sample provider serves it. */
export const BENCH_GROUP = 'users';

/** The body of `POST /api/v1/deployments` the bench sends. */
export function deploymentBody(templateId: string): Record<string, unknown> {
  return { template_id: templateId, user_group: BENCH_GROUP, template_inputs: { vm_count: 1, admin_password: 'bench-secret' } };
}

async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

/** The single-node template registered through the API (by the bench user), once per run. */
export function benchTemplateId(ctx: BenchContext): Promise<string> {
  return ctx.once('bench-template', async () => {
    const api = await productApi(ctx);
    const r = await postJson(`${api.url}/api/v1/templates`, api.authHeaders, { content: SINGLE_NODE_TEMPLATE, name: 'bench single node' });
    if (r.status === 404 && r.text.includes('No route')) throw new SkipScenario('POST /api/v1/templates does not exist yet');
    if (r.status !== 201) throw new Error(`POST /api/v1/templates answered ${r.status}: ${r.text.slice(0, 500)}`);
    return (JSON.parse(r.text) as { id: string }).id;
  });
}

/** Creates one deployment through the API (202); throws SkipScenario when the route is missing. */
export async function postDeployment(ctx: BenchContext): Promise<string> {
  const api = await productApi(ctx);
  const r = await postJson(`${api.url}/api/v1/deployments`, api.authHeaders, deploymentBody(await benchTemplateId(ctx)));
  if (r.status === 404 && r.text.includes('No route')) throw new SkipScenario('POST /api/v1/deployments does not exist yet');
  if (r.status !== 202) throw new Error(`POST /api/v1/deployments answered ${r.status}: ${r.text.slice(0, 500)}`);
  return (JSON.parse(r.text) as { id: string }).id;
}

/** A deployment of the bench user, created through the API once per run (no worker runs it). */
export function sampleDeploymentId(ctx: BenchContext): Promise<string> {
  return ctx.once('sample-deployment', () => postDeployment(ctx));
}
