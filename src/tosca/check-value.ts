import { constraintFailure } from './constraints.js';
import { isPlainObject } from './plain.js';
import type { Constraint, EntrySchema, FieldSpec } from './types.js';
import { coerceValue, type Coerced, type CoerceOptions } from './value-types.js';

export interface ValueSpec {
  baseType: string;
  constraints?: Constraint[];
  entry_schema?: EntrySchema;
  /** Fields of a complex data type; each one a value sets is checked, the others are left to their defaults. */
  fields?: Record<string, FieldSpec>;
}

const MAX_VALUE_DEPTH = 64;
const MAX_VALUE_NODES = 100_000;

/**
 * Coerces a value to its type, then applies the constraints, recursing into list and map entries. Values
 * nested deeper than 64 levels or holding more than 10^5 entries are refused before any of that.
 */
export function checkValue(spec: ValueSpec, value: unknown, options: CoerceOptions = {}): Coerced {
  const problem = sizeProblem(value);
  return problem ? { ok: false, reason: problem } : checkNested(spec, value, options);
}

function sizeProblem(value: unknown): string | undefined {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  let nodes = 0;
  while (pending.length) {
    const { node, depth } = pending.pop() as { node: unknown; depth: number };
    if (++nodes > MAX_VALUE_NODES) return `the value holds more than ${MAX_VALUE_NODES} entries`;
    const children = Array.isArray(node) ? node : isPlainObject(node) ? Object.values(node) : [];
    if (children.length && depth >= MAX_VALUE_DEPTH) return `the value is nested more than ${MAX_VALUE_DEPTH} levels deep`;
    for (const child of children) pending.push({ node: child, depth: depth + 1 });
  }
  return undefined;
}

function checkNested(spec: ValueSpec, value: unknown, options: CoerceOptions): Coerced {
  const coerced = coerceValue(spec.baseType, value, options);
  if (!coerced.ok) return coerced;
  for (const c of spec.constraints ?? []) {
    const reason = constraintFailure(c, spec.baseType, coerced.value);
    if (reason) return { ok: false, reason: `${options.secret ? 'the value' : JSON.stringify(coerced.value)} ${reason}` };
  }
  if (spec.fields && isPlainObject(coerced.value)) {
    const failed = checkFields(spec.fields, coerced.value, options);
    if (failed) return failed;
  }
  const schema = spec.entry_schema;
  if (!schema) return coerced;
  const entrySpec: ValueSpec = {
    baseType: schema.baseType ?? schema.type,
    constraints: schema.constraints,
    entry_schema: schema.entry_schema,
    fields: schema.fields,
  };
  if (Array.isArray(coerced.value)) {
    const out: unknown[] = [];
    for (const [i, item] of coerced.value.entries()) {
      const r = checkNested(entrySpec, item, options);
      if (!r.ok) return { ok: false, reason: `entry ${i}: ${r.reason}` };
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (isPlainObject(coerced.value)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(coerced.value)) {
      const r = checkNested(entrySpec, item, options);
      if (!r.ok) return { ok: false, reason: `entry ${JSON.stringify(k)}: ${r.reason}` };
      out[k] = r.value;
    }
    return { ok: true, value: out };
  }
  return coerced;
}

function checkFields(fields: Record<string, FieldSpec>, value: Record<string, unknown>, options: CoerceOptions): Coerced | undefined {
  for (const [name, field] of Object.entries(fields)) {
    if (!Object.hasOwn(value, name) || value[name] === undefined || value[name] === null) continue;
    const r = checkNested(field, value[name], options);
    if (!r.ok) return { ok: false, reason: `field ${JSON.stringify(name)}: ${r.reason}` };
  }
  return undefined;
}
