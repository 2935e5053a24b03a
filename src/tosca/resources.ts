import { asFunctionCall, getInputName } from './functions.js';
import type { ParsedTemplate, ResourceDescriptor } from './types.js';

export const COMPUTE_TYPE = 'tosca.nodes.Compute';

/**
 * One descriptor per node template. A requirement of A naming B makes A require B and B required by A.
 * `count` is `capabilities.scalable.properties.count`: a literal, or the value of the get_input it uses
 * (apply user values first with applyInputs to use theirs), else 1.
 */
export function deriveResources(t: ParsedTemplate): ResourceDescriptor[] {
  const nodes = Object.values(t.nodeTemplates);
  const requiredBy = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
  const requires = new Map<string, string[]>();
  for (const node of nodes) {
    const targets: string[] = [];
    for (const req of node.requirements) {
      if (req.node === undefined || !Object.hasOwn(t.nodeTemplates, req.node) || targets.includes(req.node)) continue;
      targets.push(req.node);
      requiredBy.get(req.node)?.push(node.name);
    }
    requires.set(node.name, targets);
  }
  return nodes.map((node) => ({
    name: node.name,
    type: node.type,
    ancestry: node.ancestry,
    requires: requires.get(node.name) ?? [],
    requiredBy: requiredBy.get(node.name) ?? [],
    isCompute: node.ancestry.includes(COMPUTE_TYPE),
    count: scalableCount(t, node.capabilities.scalable?.properties.count),
  }));
}

function scalableCount(t: ParsedTemplate, raw: unknown): number {
  let value = raw;
  const call = asFunctionCall(raw);
  if (call?.name === 'get_input') {
    const name = getInputName(call.args);
    value = name !== undefined && Object.hasOwn(t.inputs, name) ? t.inputs[name].default : undefined;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 1;
}
