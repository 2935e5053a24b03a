import { IGNORED_ISSUES, withListConstraints } from './constraint-clauses.js';
import { isPlainObject, type PlainObject } from './plain.js';
import { TYPE_SECTIONS } from './type-definitions.js';

/**
 * The template in the grammar's own shapes: the lenient forms the parser accepts (constraints as a map, a
 * lone valid_values or import, requirements or policies as a map, a lone policy target) rewritten as lists,
 * so what goes to the IM reads the same to its stricter parser. Shapes already canonical are left as written.
 */
export function canonicalTemplate(root: PlainObject): PlainObject {
  const out: PlainObject = { ...root };
  if (typeof root.imports === 'string' || (isPlainObject(root.imports) && 'file' in root.imports)) out.imports = [root.imports];
  else if (isPlainObject(root.imports)) out.imports = singleKeyList(root.imports);
  for (const section of TYPE_SECTIONS) {
    const defs = root[section];
    if (isPlainObject(defs)) out[section] = mapValues(defs, canonicalTypeDef);
  }
  if (isPlainObject(root.topology_template)) out.topology_template = canonicalTopology(root.topology_template);
  return out;
}

function canonicalTopology(topo: PlainObject): PlainObject {
  const out: PlainObject = { ...topo };
  if (isPlainObject(topo.inputs)) out.inputs = mapValues(topo.inputs, canonicalValueDef);
  if (isPlainObject(topo.node_templates)) out.node_templates = mapValues(topo.node_templates, canonicalNode);
  if (topo.policies !== undefined) out.policies = canonicalPolicies(topo.policies);
  return out;
}

function canonicalTypeDef(def: unknown): unknown {
  if (!isPlainObject(def)) return def;
  const out = withListConstraints(def, [], IGNORED_ISSUES);
  for (const key of ['properties', 'attributes'] as const) {
    if (isPlainObject(def[key])) out[key] = mapValues(def[key], canonicalValueDef);
  }
  return out;
}

/** An input, property or attribute definition: constraints at every depth. */
function canonicalValueDef(def: unknown): unknown {
  return isPlainObject(def) ? withListConstraints(def, [], IGNORED_ISSUES) : def;
}

function canonicalNode(node: unknown): unknown {
  if (!isPlainObject(node) || !isPlainObject(node.requirements)) return node;
  return { ...node, requirements: singleKeyList(node.requirements) };
}

function canonicalPolicies(policies: unknown): unknown {
  const list = isPlainObject(policies) ? singleKeyList(policies) : policies;
  if (!Array.isArray(list)) return list;
  return list.map((item) => (isPlainObject(item) ? mapValues(item, canonicalPolicy) : item));
}

function canonicalPolicy(policy: unknown): unknown {
  if (!isPlainObject(policy) || typeof policy.targets !== 'string') return policy;
  return { ...policy, targets: [policy.targets] };
}

function singleKeyList(map: PlainObject): PlainObject[] {
  return Object.entries(map).map(([k, v]) => ({ [k]: v }));
}

function mapValues(map: PlainObject, fn: (value: unknown) => unknown): PlainObject {
  const out: PlainObject = {};
  for (const [k, v] of Object.entries(map)) out[k] = fn(v);
  return out;
}
