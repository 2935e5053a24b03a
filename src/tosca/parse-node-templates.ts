import type { IssueCollector, Segment } from './issues.js';
import { asObject, isPlainObject, singleKeyEntries } from './plain.js';
import type { TypeScope } from './type-scope.js';
import { checkPropertyAssignments } from './check-properties.js';
import type { InputTarget, NodeTemplate, RequirementAssignment } from './types.js';

const NODE_KEYS = new Set([
  'type',
  'description',
  'metadata',
  'directives',
  'properties',
  'attributes',
  'requirements',
  'capabilities',
  'interfaces',
  'artifacts',
  'node_filter',
  'copy',
]);

/** What every node template is read against: the topology's node and relationship template names. */
interface NodeContext {
  nodeNames: Set<string>;
  relationshipTemplates: Set<string>;
  /** Collects the properties set by get_input, see checkPropertyAssignments. */
  inputTargets: InputTarget[];
}

/**
 * Reads node_templates: unknown node types and requirements naming missing nodes are errors; properties,
 * capabilities and requirements that the type does not declare are warnings (the Java orchestrator accepts them).
 */
export function parseNodeTemplates(
  raw: unknown,
  base: Segment[],
  scope: TypeScope,
  relationshipTemplates: Set<string>,
  issues: IssueCollector,
  inputTargets: InputTarget[] = [],
): Record<string, NodeTemplate> {
  const nodes: Record<string, NodeTemplate> = {};
  if (!isPlainObject(raw) || Object.keys(raw).length === 0) {
    issues.error(base, 'node_templates must be a map with at least one node template');
    return nodes;
  }
  const context: NodeContext = { nodeNames: new Set(Object.keys(raw)), relationshipTemplates, inputTargets };
  for (const [name, value] of Object.entries(raw)) {
    const path = [...base, name];
    if (!isPlainObject(value)) {
      issues.error(path, `node template ${name} must be a map with a type`);
      continue;
    }
    const node = parseNode(name, value, path, scope, context, issues);
    if (node) nodes[name] = node;
  }
  return nodes;
}

function parseNode(
  name: string,
  raw: Record<string, unknown>,
  path: Segment[],
  scope: TypeScope,
  context: NodeContext,
  issues: IssueCollector,
): NodeTemplate | undefined {
  if (typeof raw.type !== 'string' || !raw.type) {
    issues.error([...path, 'type'], `node template ${name} has no type`);
    return undefined;
  }
  const type = scope.resolveName('node_types', raw.type);
  if (!type) {
    issues.error([...path, 'type'], `node template ${name} has an unknown node type ${raw.type}`);
    return undefined;
  }
  const ancestry = scope.ancestry('node_types', type);
  if (ancestry.missingParent) {
    issues.error([...path, 'type'], `node type ${type} derives from ${ancestry.missingParent}, which is not defined`);
  }
  for (const key of Object.keys(raw)) {
    if (!NODE_KEYS.has(key)) issues.warn([...path, key], `node template ${name} has an unexpected key ${key}`);
  }
  const properties = asObject(raw.properties);
  const declared = scope.properties('node_types', type);
  const propertyDefaults: Record<string, unknown> = {};
  for (const [prop, def] of Object.entries(declared)) {
    if ('default' in def) propertyDefaults[prop] = def.default;
    else if (def.required !== false && !(prop in properties)) {
      issues.warn([...path, 'properties'], `node template ${name} does not set the required property ${prop} of ${type}`);
    }
  }
  for (const prop of Object.keys(properties)) {
    if (!(prop in declared)) issues.warn([...path, 'properties', prop], `node template ${name} sets ${prop}, which ${type} does not declare`);
  }
  checkPropertyAssignments({ label: `node template ${name}`, path: [...path, 'properties'] }, properties, declared, scope, issues, context.inputTargets);
  return {
    name,
    type,
    ancestry: ancestry.chain,
    properties,
    capabilities: parseCapabilities(name, type, raw.capabilities, [...path, 'capabilities'], scope, context, issues),
    requirements: parseRequirements(name, type, raw.requirements, [...path, 'requirements'], scope, context, issues),
    artifacts: asObject(raw.artifacts),
    interfaces: asObject(raw.interfaces),
    propertyDefaults,
  };
}

function parseCapabilities(
  node: string,
  type: string,
  raw: unknown,
  path: Segment[],
  scope: TypeScope,
  context: NodeContext,
  issues: IssueCollector,
): NodeTemplate['capabilities'] {
  const out: NodeTemplate['capabilities'] = {};
  if (raw === undefined || raw === null) return out;
  if (!isPlainObject(raw)) {
    issues.error(path, `capabilities of node template ${node} must be a map`);
    return out;
  }
  const declared = scope.capabilities(type);
  for (const [capName, value] of Object.entries(raw)) {
    const properties = asObject(asObject(value).properties);
    out[capName] = { properties };
    const def = declared[capName];
    if (!def) {
      issues.warn([...path, capName], `node template ${node} sets capability ${capName}, which ${type} does not declare`);
      continue;
    }
    const capType = scope.resolveName('capability_types', def.type) ?? def.type;
    const capProps = scope.properties('capability_types', capType);
    for (const prop of Object.keys(properties)) {
      if (!(prop in capProps)) {
        issues.warn([...path, capName, 'properties', prop], `capability ${capName} of node template ${node} sets ${prop}, which ${capType} does not declare`);
      }
    }
    const owner = { label: `capability ${capName} of node template ${node}`, path: [...path, capName, 'properties'] };
    checkPropertyAssignments(owner, properties, capProps, scope, issues, context.inputTargets);
  }
  return out;
}

/** A requirement as written, with where it was written. */
interface WrittenRequirement {
  name: string;
  value: unknown;
  at: Segment[];
}

/**
 * The grammar's list of single-key maps; a map of requirement names is the same list in written order
 * (it cannot repeat a name, which a list may), so it is read so with a warning.
 */
function writtenRequirements(node: string, raw: unknown, path: Segment[], issues: IssueCollector): WrittenRequirement[] {
  if (raw === undefined || raw === null) return [];
  if (isPlainObject(raw)) {
    issues.warn(path, `requirements of node template ${node} are written as a map; read as the list of its entries in written order`);
    return Object.entries(raw).map(([name, value]) => ({ name, value, at: [...path, name] }));
  }
  if (!Array.isArray(raw)) {
    issues.error(path, `requirements of node template ${node} must be a list`);
    return [];
  }
  const out: WrittenRequirement[] = [];
  raw.forEach((item, i) => {
    const entries = singleKeyEntries([item]);
    if (entries.length !== 1) {
      issues.error([...path, i], `each requirement of node template ${node} must be a map with one key`);
      return;
    }
    const [name, value] = entries[0];
    out.push({ name, value, at: [...path, i, name] });
  });
  return out;
}

function parseRequirements(
  node: string,
  type: string,
  raw: unknown,
  path: Segment[],
  scope: TypeScope,
  context: NodeContext,
  issues: IssueCollector,
): RequirementAssignment[] {
  const declared = new Set(scope.requirements(type).map((r) => r.name));
  const out: RequirementAssignment[] = [];
  for (const { name, value, at } of writtenRequirements(node, raw, path, issues)) {
    if (!declared.has(name)) issues.warn(at, `node template ${node} uses requirement ${name}, which ${type} does not declare`);
    const req: RequirementAssignment = { name };
    if (typeof value === 'string') req.node = value;
    else if (isPlainObject(value)) {
      if (typeof value.node === 'string') req.node = value.node;
      if (typeof value.capability === 'string') req.capability = value.capability;
      const rel = value.relationship;
      if (typeof rel === 'string') {
        req.relationship = scope.resolveName('relationship_types', rel) ?? rel;
        if (!scope.resolveName('relationship_types', rel) && !context.relationshipTemplates.has(rel)) {
          issues.warn([...at, 'relationship'], `requirement ${name} of node template ${node} uses an unknown relationship ${rel}`);
        }
      } else if (isPlainObject(rel)) {
        const relType = typeof rel.type === 'string' ? (scope.resolveName('relationship_types', rel.type) ?? rel.type) : undefined;
        req.relationship = { type: relType, properties: asObject(rel.properties) };
      }
    } else {
      issues.error(at, `requirement ${name} of node template ${node} must name a node or be a map`);
      continue;
    }
    if (req.node !== undefined && !context.nodeNames.has(req.node) && !scope.resolveName('node_types', req.node)) {
      issues.error(at, `requirement ${name} of node template ${node} points to ${req.node}, which is not a node template of this topology`);
    }
    out.push(req);
  }
  return out;
}
