import { IGNORED_ISSUES, type IssueSink } from './constraint-clauses.js';
import { readConstraints } from './constraints.js';
import type { Segment } from './issues.js';
import { asObject } from './plain.js';
import type { PropertyDef } from './type-definitions.js';
import { PRIMITIVE_TYPES, type TypeScope } from './type-scope.js';
import type { Constraint, EntrySchema, FieldSpec } from './types.js';

export interface ResolvedType {
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

export function readEntrySchema(
  raw: unknown,
  path: Segment[],
  scope: TypeScope,
  issues: IssueSink,
  seen: ReadonlySet<string> = new Set(),
): EntrySchema | undefined {
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
  const constraints = typeAndOwnConstraints(resolved, obj.constraints, path, issues);
  if (constraints.length) schema.constraints = constraints;
  if (obj.entry_schema !== undefined) {
    const nested = readEntrySchema(obj.entry_schema, [...path, 'entry_schema'], scope, issues, seen);
    if (nested) schema.entry_schema = nested;
  }
  const fields = dataTypeFields(scope, resolved, seen);
  if (fields) schema.fields = fields;
  return schema;
}

/**
 * The fields of a complex data type (its properties, inherited ones included). A type met again inside
 * itself gets no fields there, so recursive data types end.
 */
export function dataTypeFields(scope: TypeScope, resolved: ResolvedType, seen: ReadonlySet<string> = new Set()): Record<string, FieldSpec> | undefined {
  if (resolved.baseType !== 'map' || PRIMITIVE_TYPES.has(resolved.type) || seen.has(resolved.type)) return undefined;
  const inner = new Set(seen).add(resolved.type);
  const fields: Record<string, FieldSpec> = {};
  for (const [name, def] of Object.entries(scope.properties('data_types', resolved.type))) {
    const spec = propertyValueSpec(def, scope, inner);
    if (spec) fields[name] = spec;
  }
  return Object.keys(fields).length ? fields : undefined;
}

/** The constraints of the type chain (reported at `type`), then the definition's own (at `constraints`). */
export function typeAndOwnConstraints(resolved: ResolvedType, own: unknown, path: Segment[], issues: IssueSink): Constraint[] {
  return [...readConstraints(resolved.constraints, [...path, 'type'], issues), ...readConstraints(own, [...path, 'constraints'], issues)];
}

/**
 * What a value for a property definition must satisfy; undefined when its type is unknown. Definitions come
 * from type files, so a malformed clause there is skipped: it is not the template's to fix.
 */
export function propertyValueSpec(def: PropertyDef, scope: TypeScope, seen: ReadonlySet<string> = new Set()): FieldSpec | undefined {
  const resolved = resolveValueType(scope, def.type);
  if (!resolved) return undefined;
  const spec: FieldSpec = { baseType: resolved.baseType };
  const constraints = typeAndOwnConstraints(resolved, def.constraints, [], IGNORED_ISSUES);
  if (constraints.length) spec.constraints = constraints;
  if (def.entry_schema !== undefined) {
    const schema = readEntrySchema(def.entry_schema, [], scope, IGNORED_ISSUES, seen);
    if (schema) spec.entry_schema = schema;
  }
  const fields = dataTypeFields(scope, resolved, seen);
  if (fields) spec.fields = fields;
  return spec;
}
