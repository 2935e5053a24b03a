import { Document } from 'yaml';
import { applyInputs } from './apply-inputs.js';
import { asObject, deepClone, isPlainObject } from './plain.js';
import { COMPUTE_TYPE } from './resources.js';
import { parseScalarUnit } from './scalar-units.js';
import type { FlavourSpec, ParsedTemplate, ProviderRendering } from './types.js';

export class RenderError extends Error {
  constructor(
    message: string,
    readonly node: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

/**
 * The YAML sent to the IM: get_input calls replaced by the values (which also become the inputs' defaults),
 * then, for the chosen provider, compute nodes get its image (`os.image`) and flavour (`host.instance_type`).
 * Throws RenderError when a flavour catalogue is given and no flavour fits a compute node.
 */
export function renderForIm(t: ParsedTemplate, values: Record<string, unknown>, provider?: ProviderRendering): string {
  const applied = applyInputs(t, values);
  const root = deepClone(asObject(applied.raw));
  const topology = asObject(root.topology_template);
  const inputs = asObject(topology.inputs);
  for (const [name, value] of Object.entries(values)) {
    if (Object.hasOwn(inputs, name) && isPlainObject(inputs[name]) && value !== undefined) inputs[name].default = value;
  }
  if (provider) {
    const nodes = asObject(topology.node_templates);
    for (const node of Object.values(t.nodeTemplates)) {
      if (!node.ancestry.includes(COMPUTE_TYPE) || !isPlainObject(nodes[node.name])) continue;
      applyProvider(node.name, nodes[node.name] as Record<string, unknown>, provider);
    }
  }
  return new Document(root, { version: '1.1' }).toString({ lineWidth: 0 });
}

function capabilityProperties(node: Record<string, unknown>, cap: string): Record<string, unknown> {
  if (!isPlainObject(node.capabilities)) node.capabilities = {};
  const caps = node.capabilities as Record<string, unknown>;
  if (!isPlainObject(caps[cap])) caps[cap] = {};
  const entry = caps[cap] as Record<string, unknown>;
  if (!isPlainObject(entry.properties)) entry.properties = {};
  return entry.properties as Record<string, unknown>;
}

function applyProvider(name: string, node: Record<string, unknown>, provider: ProviderRendering): void {
  const os = asObject(asObject(asObject(node.capabilities).os).properties);
  const image = chooseImage(os, provider);
  if (image !== undefined) capabilityProperties(node, 'os').image = image;

  const host = asObject(asObject(asObject(node.capabilities).host).properties);
  const flavour = chooseFlavour(name, host, provider);
  if (flavour !== undefined) capabilityProperties(node, 'host').instance_type = flavour;
}

function chooseImage(os: Record<string, unknown>, provider: ProviderRendering): string | undefined {
  const images = provider.images ?? {};
  const current = typeof os.image === 'string' ? os.image : undefined;
  if (current !== undefined && images[current] !== undefined) return images[current];
  if (current !== undefined) return undefined;
  const distribution = typeof os.distribution === 'string' ? os.distribution.toLowerCase() : undefined;
  const version = os.version === undefined ? undefined : String(os.version);
  if (distribution && version && images[`${distribution}:${version}`]) return images[`${distribution}:${version}`];
  if (distribution && images[distribution]) return images[distribution];
  return provider.defaultImage;
}

function chooseFlavour(name: string, host: Record<string, unknown>, provider: ProviderRendering): string | undefined {
  const current = typeof host.instance_type === 'string' ? host.instance_type : undefined;
  if (current !== undefined) return provider.flavours?.[current];
  const catalogue = provider.flavourCatalogue;
  if (!catalogue?.length) return undefined;
  const need = {
    cpus: numberOf(host.num_cpus) ?? 0,
    memMb: sizeInMiB(host.mem_size) ?? 0,
    gpus: numberOf(host.num_gpus) ?? 0,
    diskGb: (sizeInMiB(host.disk_size) ?? 0) / 1024,
  };
  const fits = catalogue
    .filter((f) => f.cpus >= need.cpus && f.memMb >= need.memMb && (f.gpus ?? 0) >= need.gpus && (f.diskGb === undefined || f.diskGb >= need.diskGb))
    .sort(bySize);
  if (!fits.length) {
    throw new RenderError(
      `no flavour of provider ${provider.provider} fits node ${name} (${need.cpus} CPUs, ${Math.ceil(need.memMb)} MiB, ${need.gpus} GPUs)`,
      name,
    );
  }
  return fits[0].name;
}

function bySize(a: FlavourSpec, b: FlavourSpec): number {
  return a.cpus - b.cpus || a.memMb - b.memMb || (a.gpus ?? 0) - (b.gpus ?? 0) || (a.diskGb ?? 0) - (b.diskGb ?? 0);
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Sizes in MiB, the unit flavours are listed in; a bare number is taken as MiB. */
function sizeInMiB(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const parsed = parseScalarUnit('size', value);
  return parsed ? parsed.base / 2 ** 20 : undefined;
}
