import { evaluateOutputs } from '../../tosca/index.js';
import { fakePrivateKey } from './fake-secrets.js';
import type { SimInfra } from './model.js';
import type { InfraView, VmView } from './timeline.js';
import { hasAddresses } from './vm-radl.js';

const MAX_HOST_HOPS = 10;

/** The node that hosts `name`, following `host` requirements down to a node with VMs. */
function hostingNode(infra: SimInfra, name: string, withVms: ReadonlySet<string>): string {
  let current = name;
  for (let i = 0; i < MAX_HOST_HOPS && !withVms.has(current); i++) {
    const req = infra.template.nodeTemplates[current]?.requirements.find((r) => r.name === 'host' && r.node);
    if (!req?.node) break;
    current = req.node;
  }
  return current;
}

const LIST_ADDRESS_TYPE = 'tosca.nodes.indigo.Compute';

// INDIGO compute nodes declare their addresses as lists (one per VM); normative ones as a single value.
function addresses(values: Array<string | null>, asList: boolean): Array<string | null> | string | null {
  return asList ? values : (values[0] ?? null);
}

/** Runtime attributes per TOSCA node, as the IM derives them from current VM data. */
export function nodeAttributes(infra: SimInfra, view: InfraView): Record<string, Record<string, unknown>> {
  const byNode = new Map<string, VmView[]>();
  for (const v of view.vms) byNode.set(v.vm.nodeName, [...(byNode.get(v.vm.nodeName) ?? []), v]);
  const withVms = new Set(infra.vms.map((vm) => vm.nodeName));
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(infra.template.nodeTemplates)) {
    const host = hostingNode(infra, name, withVms);
    const vms = byNode.get(host) ?? [];
    const asList = infra.template.nodeTemplates[host]?.ancestry.includes(LIST_ADDRESS_TYPE) ?? false;
    const publicIps = vms.map((v) => (hasAddresses(v.state) ? v.vm.publicIp : null));
    const privateIps = vms.map((v) => (hasAddresses(v.state) ? v.vm.privateIp : null));
    const credentials = vms.map((v) => ({
      user: 'cloudadm',
      token_type: 'private_key',
      token: fakePrivateKey(`${infra.id}/${v.vm.id}`),
    }));
    out[name] = {
      tosca_id: `${name}_${infra.id}`,
      tosca_name: name,
      state: vms[0]?.state ?? null,
      public_address: addresses(publicIps, asList),
      private_address: addresses(privateIps, asList),
      ip_address: privateIps[0] ?? null,
      endpoint: { ip_address: publicIps[0] ?? null, credential: credentials },
      credential: credentials,
    };
  }
  return out;
}

/** The template's outputs evaluated against the current VM data (nulls until addresses exist). */
export function infraOutputs(infra: SimInfra, view: InfraView): Record<string, unknown> {
  return evaluateOutputs(infra.template, infra.inputValues, nodeAttributes(infra, view));
}
