import type { ImStateName, RadlAspect } from '../types.js';
import { fakePassword, fakePrivateKey } from './fake-secrets.js';
import type { SimInfra, SimVm } from './model.js';

const HAS_ADDRESS: ReadonlySet<ImStateName> = new Set(['running', 'configured', 'unconfigured', 'stopped', 'unknown', 'deleting']);

/** Whether the cloud has given the VM its addresses yet. */
export function hasAddresses(state: ImStateName): boolean {
  return HAS_ADDRESS.has(state);
}

/** The VM's RADL-JSON, shaped like the IM's (networks, then the system aspect named after the TOSCA node). */
export function buildVmRadl(infra: SimInfra, vm: SimVm, state: ImStateName): RadlAspect[] {
  const cloudHost = infra.cloud?.host ?? '';
  const seed = `${infra.id}/${vm.id}`;
  const system: RadlAspect = {
    class: 'system',
    id: vm.nodeName,
    state,
    'provider.type': infra.cloud?.type ?? 'OpenStack',
    'provider.host': cloudHost.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, ''),
    instance_id: vm.instanceId,
    instance_name: `${vm.nodeName}-${infra.id.slice(0, 8)}-${vm.id}`,
    instance_tags: `PAAS_DEP_UUID=${infra.id},owner=${infra.ownerName}`,
    ...(vm.instanceType ? { instance_type: vm.instanceType } : {}),
    'cpu.count': vm.cpus,
    'memory.size': vm.memBytes,
    'disk.0.image.url': vm.image,
    'disk.0.os.name': 'linux',
    'disk.0.os.credentials.username': 'cloudadm',
    'disk.0.os.credentials.password': fakePassword(seed),
    'disk.0.os.credentials.private_key': fakePrivateKey(seed),
    'net_interface.0.connection': 'priv_network',
    'net_interface.1.connection': 'pub_network',
  };
  if (hasAddresses(state)) {
    system['net_interface.0.ip'] = vm.privateIp;
    system['net_interface.1.ip'] = vm.publicIp;
    system['net_interface.0.dns_name'] = `${vm.nodeName}-${vm.id}`;
  }
  return [
    { class: 'network', id: 'pub_network', outbound: 'yes', provider_id: 'public' },
    { class: 'network', id: 'priv_network', provider_id: 'private-net' },
    system,
  ];
}

function radlValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** RADL text, the VM info's default representation. */
export function radlToText(aspects: RadlAspect[]): string {
  return aspects
    .map((a) => {
      const { class: cls, id, ...rest } = a;
      const body = Object.entries(rest)
        .map(([k, v]) => `${k} = ${radlValue(v)}`)
        .join(' and\n');
      return `${cls} ${id} (\n${body}\n)`;
    })
    .join('\n\n');
}
