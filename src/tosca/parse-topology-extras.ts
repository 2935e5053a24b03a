import type { IssueCollector, Segment } from './issues.js';
import { asObject, isPlainObject } from './plain.js';
import type { TypeScope } from './type-scope.js';
import type { PolicyDefinition } from './types.js';

export function parseOutputs(
  raw: unknown,
  base: Segment[],
  issues: IssueCollector,
): Record<string, { description?: string; value: unknown }> {
  const outputs: Record<string, { description?: string; value: unknown }> = {};
  if (raw === undefined || raw === null) return outputs;
  if (!isPlainObject(raw)) {
    issues.error(base, 'outputs must be a map');
    return outputs;
  }
  for (const [name, value] of Object.entries(raw)) {
    if (!isPlainObject(value) || !('value' in value)) {
      issues.error([...base, name], `output ${name} must be a map with a value`);
      continue;
    }
    const out: { description?: string; value: unknown } = { value: value.value };
    if (typeof value.description === 'string') out.description = value.description;
    outputs[name] = out;
  }
  return outputs;
}

/** Policies as a list of single-key maps (TOSCA 1.0) or a map; targets must name node templates or groups. */
export function parsePolicies(
  raw: unknown,
  base: Segment[],
  scope: TypeScope,
  targetNames: Set<string>,
  issues: IssueCollector,
): PolicyDefinition[] {
  const policies: PolicyDefinition[] = [];
  if (raw === undefined || raw === null) return policies;
  const entries: Array<[string, unknown, Segment[]]> = [];
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      if (!isPlainObject(item)) issues.error([...base, i], 'a policy must be a map');
      else for (const [k, v] of Object.entries(item)) entries.push([k, v, [...base, i, k]]);
    });
  } else if (isPlainObject(raw)) {
    issues.warn(base, 'policies are written as a map; read as the list of its entries in written order');
    for (const [k, v] of Object.entries(raw)) entries.push([k, v, [...base, k]]);
  } else {
    issues.error(base, 'policies must be a list');
    return policies;
  }
  for (const [name, value, path] of entries) {
    const def = asObject(value);
    if (typeof def.type !== 'string') {
      issues.error(path, `policy ${name} has no type`);
      continue;
    }
    const type = scope.resolveName('policy_types', def.type);
    if (!type) issues.warn([...path, 'type'], `policy ${name} has an unknown type ${def.type}`);
    const targets = policyTargets(name, def.targets, [...path, 'targets'], issues);
    targets.forEach((t, i) => {
      if (!targetNames.has(t)) issues.error([...path, 'targets', i], `policy ${name} targets ${t}, which is not a node template or group`);
    });
    const properties = asObject(def.properties);
    if (type) checkPolicyProperties(name, type, properties, path, scope, issues);
    policies.push({ name, type: type ?? def.type, properties, targets });
  }
  return policies;
}

/** A lone target name can only mean a list of that one target. */
function policyTargets(name: string, raw: unknown, path: Segment[], issues: IssueCollector): string[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') {
    issues.warn(path, `targets of policy ${name} is the single name ${raw}; read as a list of one target`);
    return [raw];
  }
  if (!Array.isArray(raw)) {
    issues.error(path, `targets of policy ${name} must be a list of node template or group names`);
    return [];
  }
  return raw.map(String);
}

function checkPolicyProperties(
  name: string,
  type: string,
  properties: Record<string, unknown>,
  path: Segment[],
  scope: TypeScope,
  issues: IssueCollector,
): void {
  const declared = scope.properties('policy_types', type);
  for (const prop of Object.keys(properties)) {
    if (!(prop in declared)) issues.warn([...path, 'properties', prop], `policy ${name} sets ${prop}, which ${type} does not declare`);
  }
  for (const [prop, def] of Object.entries(declared)) {
    if (def.required !== false && !('default' in def) && !(prop in properties)) {
      issues.warn([...path, 'properties'], `policy ${name} does not set the required property ${prop} of ${type}`);
    }
  }
}
