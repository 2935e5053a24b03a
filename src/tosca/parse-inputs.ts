import { checkValue } from './check-value.js';
import type { IssueCollector, Segment } from './issues.js';
import { isPlainObject } from './plain.js';
import { isSecretInput } from './secrets.js';
import type { TypeScope } from './type-scope.js';
import type { InputDefinition } from './types.js';
import { dataTypeFields, readEntrySchema, resolveValueType, typeAndOwnConstraints } from './value-spec.js';
import type { YamlSource } from './yaml-source.js';

const INPUT_KEYS = new Set(['type', 'description', 'default', 'required', 'constraints', 'entry_schema', 'status', 'metadata', 'value']);

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
  const ownConstraints = versionLike ? spelled(source, [...path, 'constraints'], raw.constraints) : raw.constraints;
  const constraints = typeAndOwnConstraints(resolved, ownConstraints, path, issues);
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
  const fields = dataTypeFields(scope, resolved);
  if (fields) def.fields = fields;
  if ('default' in raw && raw.default !== null) {
    def.default = versionLike ? spelled(source, [...path, 'default'], raw.default) : raw.default;
    const check = checkValue(def, def.default, { strict: true, secret: def.secret });
    if (!check.ok) issues.warn([...path, 'default'], `default of input ${name} does not fit its type or constraints (${check.reason}); it is kept as written`);
  }
  return def;
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
