import { substituteInputs } from './functions.js';
import { asObject } from './plain.js';
import type { NodeTemplate, ParsedTemplate } from './types.js';

/**
 * A copy of the template with every get_input in node templates, policies and outputs replaced by the
 * input's value (user value, else default). Calls to inputs without a value stay in place.
 */
export function applyInputs(t: ParsedTemplate, values: Record<string, unknown>): ParsedTemplate {
  const lookup = (name: string) => {
    if (Object.hasOwn(values, name) && values[name] !== undefined) return { value: values[name] };
    const def = Object.hasOwn(t.inputs, name) ? t.inputs[name].default : undefined;
    return def === undefined ? undefined : { value: def };
  };
  const sub = <T>(v: T): T => substituteInputs(v, lookup) as T;
  const nodeTemplates: Record<string, NodeTemplate> = {};
  for (const [name, node] of Object.entries(t.nodeTemplates)) {
    nodeTemplates[name] = {
      ...node,
      properties: sub(node.properties),
      capabilities: sub(node.capabilities),
      requirements: sub(node.requirements),
      artifacts: sub(node.artifacts),
      interfaces: sub(node.interfaces),
    };
  }
  const raw = asObject(t.raw);
  const topology = asObject(raw.topology_template);
  const topologyOut: Record<string, unknown> = { ...topology };
  for (const key of ['node_templates', 'policies', 'outputs', 'groups', 'relationship_templates']) {
    if (topology[key] !== undefined) topologyOut[key] = sub(topology[key]);
  }
  return {
    ...t,
    nodeTemplates,
    outputs: sub(t.outputs),
    policies: sub(t.policies),
    raw: { ...raw, topology_template: topologyOut },
  };
}
