import type { NodeTemplate } from '../../tosca/index.js';

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  kib: 2 ** 10,
  mb: 1e6,
  mib: 2 ** 20,
  gb: 1e9,
  gib: 2 ** 30,
  tb: 1e12,
  tib: 2 ** 40,
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
};

export interface VmSpec {
  cpus: number;
  memBytes: number;
  image: string;
  instanceType?: string;
}

/** Replaces `{get_input: name}` by the input value, recursively. */
export function resolveInputs(value: unknown, inputs: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveInputs(v, inputs));
  if (value && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    const keys = Object.keys(rec);
    if (keys.length === 1 && keys[0] === 'get_input') {
      const name = Array.isArray(rec.get_input) ? rec.get_input[0] : rec.get_input;
      return typeof name === 'string' ? inputs[name] : undefined;
    }
    return Object.fromEntries(keys.map((k) => [k, resolveInputs(rec[k], inputs)]));
  }
  return value;
}

export function parseSizeBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return undefined;
  const unit = SIZE_UNITS[(m[2] || 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

function capProp(node: NodeTemplate, cap: string, prop: string, inputs: Record<string, unknown>): unknown {
  return resolveInputs(node.capabilities[cap]?.properties?.[prop], inputs);
}

/** The scalable count written in the node (after inputs), if any. */
export function scalableCount(node: NodeTemplate, inputs: Record<string, unknown>): number | undefined {
  const raw = capProp(node, 'scalable', 'count', inputs);
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** VM ids named in the node's `scalable.removal_list`. */
export function removalList(node: NodeTemplate, inputs: Record<string, unknown>): string[] {
  const raw = capProp(node, 'scalable', 'removal_list', inputs);
  return Array.isArray(raw) ? raw.map((v) => String(v)) : [];
}

export function vmSpec(node: NodeTemplate, inputs: Record<string, unknown>, cloudHost: string): VmSpec {
  const cpus = Number(capProp(node, 'host', 'num_cpus', inputs));
  const mem = parseSizeBytes(capProp(node, 'host', 'mem_size', inputs));
  const instanceType = capProp(node, 'host', 'instance_type', inputs);
  const image = capProp(node, 'os', 'image', inputs);
  const distribution = capProp(node, 'os', 'distribution', inputs);
  const version = capProp(node, 'os', 'version', inputs);
  const imageName =
    typeof image === 'string' && image !== ''
      ? image
      : [distribution, version].filter((v) => typeof v === 'string' || typeof v === 'number').join('-') || 'ubuntu-22.04';
  const host = cloudHost.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '') || 'cloud.example.org';
  return {
    cpus: Number.isFinite(cpus) && cpus > 0 ? cpus : 1,
    memBytes: mem ?? 2 ** 31,
    image: /^[a-z]+:\/\//i.test(imageName) ? imageName : `ost://${host}/${imageName}`,
    instanceType: typeof instanceType === 'string' ? instanceType : undefined,
  };
}
