import { invalidAnswer, jsonField } from './parse-answers.js';
import { toImState } from './parse-state.js';
import { redactRadlJson } from './redact-radl.js';
import type { RadlAspect, VmInfo } from './types.js';

const PRIVATE_V4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|169\.254\.)/;
const PRIVATE_V6 = /^(fc|fd|fe80:)/i;

function isPrivateIp(ip: string): boolean {
  return PRIVATE_V4.test(ip) || PRIVATE_V6.test(ip);
}

function isAspect(v: unknown): v is RadlAspect {
  return !!v && typeof v === 'object' && typeof (v as Record<string, unknown>).class === 'string';
}

/** Parses VM info (`{"radl":[aspects]}`): node name, state, IPs split by the network's `outbound`. */
export function parseVmInfo(vmId: string, text: string): VmInfo {
  const op = 'getVmInfo';
  const radl = jsonField(op, text, 'radl');
  if (!Array.isArray(radl)) throw invalidAnswer(op, '"radl" is not a list');
  const aspects = radl.filter(isAspect);
  const system = aspects.find((a) => a.class === 'system');
  if (!system) throw invalidAnswer(op, 'no system aspect');
  const outbound = new Map<string, boolean>();
  for (const net of aspects.filter((a) => a.class === 'network')) {
    outbound.set(String(net.id), String(net.outbound ?? '').toLowerCase() === 'yes');
  }
  const publicIps: string[] = [];
  const privateIps: string[] = [];
  const ifaces = Object.keys(system)
    .map((k) => /^net_interface\.(\d+)\.ip$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  for (const n of ifaces) {
    const ip = system[`net_interface.${n}.ip`];
    if (typeof ip !== 'string' || ip === '') continue;
    const conn = system[`net_interface.${n}.connection`];
    const isPublic = typeof conn === 'string' && outbound.has(conn) ? outbound.get(conn) : !isPrivateIp(ip);
    (isPublic ? publicIps : privateIps).push(ip);
  }
  const instanceId = system.instance_id;
  return {
    id: vmId,
    nodeName: typeof system.id === 'string' && system.id !== '' ? system.id : undefined,
    state: toImState(system.state),
    publicIps,
    privateIps,
    instanceId: typeof instanceId === 'string' ? instanceId : undefined,
    raw: redactRadlJson(aspects),
  };
}
