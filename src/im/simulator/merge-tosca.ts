import { parse, stringify } from 'yaml';

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v);

function deepMerge(base: unknown, incoming: unknown): unknown {
  if (!isPlain(base) || !isPlain(incoming)) return incoming;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(incoming)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
}

function readYaml(text: string): Plain | undefined {
  try {
    const v: unknown = parse(text, { version: '1.1', uniqueKeys: false });
    return isPlain(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function nodeTemplates(doc: Plain): Plain {
  const topo = doc.topology_template;
  const nodes = isPlain(topo) ? topo.node_templates : undefined;
  return isPlain(nodes) ? nodes : {};
}

function scalableProps(node: unknown): Plain | undefined {
  const caps = isPlain(node) ? node.capabilities : undefined;
  const scalable = isPlain(caps) ? caps.scalable : undefined;
  const props = isPlain(scalable) ? scalable.properties : undefined;
  return isPlain(props) ? props : undefined;
}

export type MergeResult =
  | { ok: true; text: string; removals: Record<string, string[]> }
  | { ok: false; message: string };

/**
 * Deep-merges an update into the stored TOSCA (maps merged, everything else replaced), as the IM does
 * on add/update. `removal_list` entries are returned per node and left out of the stored result.
 */
export function mergeTosca(stored: string, incoming: string): MergeResult {
  const base = readYaml(stored);
  const update = readYaml(incoming);
  if (!base || !update) return { ok: false, message: 'Error parsing the TOSCA template' };
  const removals: Record<string, string[]> = {};
  for (const [name, node] of Object.entries(nodeTemplates(update))) {
    const list = scalableProps(node)?.removal_list;
    if (Array.isArray(list) && list.length > 0) removals[name] = list.map(String);
  }
  const merged = deepMerge(base, update) as Plain;
  for (const node of Object.values(nodeTemplates(merged))) {
    const props = scalableProps(node);
    if (props && 'removal_list' in props) delete props.removal_list;
  }
  return { ok: true, text: stringify(merged, { lineWidth: 0 }), removals };
}
