import { constraintFailure } from './constraints.js';
import { isPlainObject } from './plain.js';
import type { Constraint, EntrySchema } from './types.js';
import { coerceValue, type Coerced, type CoerceOptions } from './value-types.js';

export interface ValueSpec {
  baseType: string;
  constraints?: Constraint[];
  entry_schema?: EntrySchema;
}

/** Coerces a value to its type, then applies the constraints, recursing into list and map entries. */
export function checkValue(spec: ValueSpec, value: unknown, options: CoerceOptions = {}): Coerced {
  const coerced = coerceValue(spec.baseType, value, options);
  if (!coerced.ok) return coerced;
  for (const c of spec.constraints ?? []) {
    const reason = constraintFailure(c, spec.baseType, coerced.value);
    if (reason) return { ok: false, reason: `${options.secret ? 'the value' : JSON.stringify(coerced.value)} ${reason}` };
  }
  const schema = spec.entry_schema;
  if (!schema) return coerced;
  const entrySpec: ValueSpec = {
    baseType: schema.baseType ?? schema.type,
    constraints: schema.constraints,
    entry_schema: schema.entry_schema,
  };
  if (Array.isArray(coerced.value)) {
    const out: unknown[] = [];
    for (const [i, item] of coerced.value.entries()) {
      const r = checkValue(entrySpec, item, options);
      if (!r.ok) return { ok: false, reason: `entry ${i}: ${r.reason}` };
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (isPlainObject(coerced.value)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(coerced.value)) {
      const r = checkValue(entrySpec, item, options);
      if (!r.ok) return { ok: false, reason: `entry ${JSON.stringify(k)}: ${r.reason}` };
      out[k] = r.value;
    }
    return { ok: true, value: out };
  }
  return coerced;
}
