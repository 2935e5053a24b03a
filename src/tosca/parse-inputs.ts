import { checkValue } from './check-value.js';
import { readConstraints } from './constraints.js';
import type { IssueCollector, Segment } from './issues.js';
import { asObject, isPlainObject } from './plain.js';
import { isSecretInput } from './secrets.js';
import { PRIMITIVE_TYPES, type TypeScope } from './type-scope.js';
import type { EntrySchema, InputDefinition } from './types.js';
import type { YamlSource } from './yaml-source.js';

const INPUT_KEYS = new Set(['type', 'description', 'default', 'required', 'constraints', 'entry_schema', 'status', 'metadata', 'value']);

interface ResolvedType {
  type: string;
  baseType: string;
  /** Constraints the data type chain imposes (e.g. PortDef: in_range [1, 65535]). */
  constraints: unknown[];
}

/** The full type name plus the primitive it reduces to; undefined when the type is unknown. */
export function resolveValueType(scope: TypeScope, type: string): ResolvedType | undefined {
  if (PRIMITIVE_TYPES.has(type)) return { type, baseType: type, constraints: [] };
  const name = scope.resolveName('data_types', type);
  if (!name) return undefined;
  const ancestry = scope.ancestry('data_types', name);
  const constraints = ancestry.chain.flatMap((t) => scope.get('data_types', t)?.constraints ?? []);
  return { type: name, baseType: ancestry.primitive ?? 'map', constraints };
}

export function parseInputs(
  raw: unknown,
  base: Segment[],
  scope: TypeScope,
  source: YamlSource,
  issues: IssueCollector,
): Record<string, InputDefinition> {
  const inputs: Record<string, InputDefinition> = {};
  if (raw === undefined || raw === null) return inputs;
  if (!isPlainObject(raw)) {
    issues.error(base, 'inputs must be a map');
    return inputs;
  }
  for (const [name, value] of Object.entries(raw)) {
    const path = [...base, name];
    if (!isPlainObject(value)) {
      issues.error(path, `input ${name} must be a map with at least a type`);
      continue;
    }
    const def = parseInput(name, value, path, scope, source, issues);
    if (def) inputs[name] = def;
  }
  return inputs;
}

function parseInput(
  name: string,
  raw: Record<string, unknown>,
  path: Segment[],
  scope: TypeScope,
  source: YamlSource,
  issues: IssueCollector,
): InputDefinition | undefined {
  for (const key of Object.keys(raw)) {
    if (!INPUT_KEYS.has(key)) issues.warn([...path, key], `input ${name} has an unknown key ${key}`);
  }
  if (typeof raw.type !== 'string' || !raw.type) {
    issues.error([...path, 'type'], `input ${name} has no type`);
    return undefined;
  }
  const resolved = resolveValueType(scope, raw.type);
  if (!resolved) {
    issues.error([...path, 'type'], `input ${name} has an unknown type ${raw.type}`);
    return undefined;
  }
  if (raw.required !== undefined && typeof raw.required !== 'boolean') {
    issues.error([...path, 'required'], `required of input ${name} must be a boolean`);
  }
  const versionLike = resolved.baseType === 'version';
  const constraints = [
    ...readConstraints(resolved.constraints, [...path, 'type'], issues.errors),
    ...readConstraints(
      versionLike ? spelled(source, [...path, 'constraints'], raw.constraints) : raw.constraints,
      [...path, 'constraints'],
      issues.errors,
    ),
  ];
  const def: InputDefinition = {
    type: resolved.type,
    baseType: resolved.baseType,
    required: raw.required !== false,
    constraints,
    secret: isSecretInput(name, isPlainObject(raw.metadata) ? raw.metadata : undefined),
  };
  if (typeof raw.description === 'string') def.description = raw.description;
  if (isPlainObject(raw.metadata)) def.metadata = raw.metadata;
  if (raw.entry_schema !== undefined) {
    const schema = readEntrySchema(raw.entry_schema, [...path, 'entry_schema'], scope, issues);
    if (schema) def.entry_schema = schema;
  }
  if ('default' in raw && raw.default !== null) {
    def.default = versionLike ? spelled(source, [...path, 'default'], raw.default) : raw.default;
    const check = checkValue(def, def.default, { strict: true, secret: def.secret });
    if (!check.ok) issues.warn([...path, 'default'], `default of input ${name} does not fit its type or constraints (${check.reason}); it is kept as written`);
  }
  return def;
}

function readEntrySchema(raw: unknown, path: Segment[], scope: TypeScope, issues: IssueCollector): EntrySchema | undefined {
  const obj = typeof raw === 'string' ? { type: raw } : asObject(raw);
  if (typeof obj.type !== 'string') {
    issues.error(path, 'entry_schema needs a type');
    return undefined;
  }
  const resolved = resolveValueType(scope, obj.type);
  if (!resolved) {
    issues.error([...path, 'type'], `entry_schema has an unknown type ${obj.type}`);
    return undefined;
  }
  const schema: EntrySchema = { type: resolved.type };
  if (resolved.baseType !== resolved.type) schema.baseType = resolved.baseType;
  const constraints = [
    ...readConstraints(resolved.constraints, [...path, 'type'], issues.errors),
    ...readConstraints(obj.constraints, [...path, 'constraints'], issues.errors),
  ];
  if (constraints.length) schema.constraints = constraints;
  if (obj.entry_schema !== undefined) {
    const nested = readEntrySchema(obj.entry_schema, [...path, 'entry_schema'], scope, issues);
    if (nested) schema.entry_schema = nested;
  }
  return schema;
}

/** Numbers read for version-typed values keep their spelling (`7.10`, not 7.1). */
function spelled(source: YamlSource, path: Segment[], value: unknown): unknown {
  if (typeof value === 'number') return source.scalarSourceAt(path) ?? String(value);
  if (Array.isArray(value)) return value.map((v, i) => spelled(source, [...path, i], v));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = spelled(source, [...path, k], v);
    return out;
  }
  return value;
}
