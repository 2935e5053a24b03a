import { isPlainObject } from './plain.js';
import { parseScalarUnit, scalarUnitExample, scalarUnitKind } from './scalar-units.js';

export type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

const VERSION = /^\d+(\.\d+){0,2}(\.[A-Za-z0-9_]+(-\d+)?)?$/;
const TIMESTAMP =
  /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;
const INTEGER = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function fail(reason: string): Coerced {
  return { ok: false, reason };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Checks a value against a primitive TOSCA type and returns it in canonical form (numeric strings become
 * numbers, `"true"` a boolean, numbers given for strings or versions become strings). Entries of lists
 * and maps are checked by checkValue. `strict` (used for template defaults) turns those conversions off.
 * A string given for a list is kept unchanged: the Java orchestrator substitutes such strings verbatim.
 */
export function coerceValue(type: string, value: unknown, strict = false): Coerced {
  if (strict && typeof value === 'string' && ['integer', 'float', 'boolean'].includes(type)) {
    return fail(`expected ${type === 'integer' ? 'an integer' : type === 'float' ? 'a number' : 'a boolean'}, got ${describe(value)}`);
  }
  switch (type) {
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (!strict && (typeof value === 'number' || typeof value === 'boolean')) return { ok: true, value: String(value) };
      return fail(`expected a string, got ${describe(value)}`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && INTEGER.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return fail(`expected an integer, got ${describe(value)}`);
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'string' && FLOAT.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return fail(`expected a number, got ${describe(value)}`);
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'string') {
        const v = value.trim().toLowerCase();
        if (v === 'true' || v === 'yes') return { ok: true, value: true };
        if (v === 'false' || v === 'no') return { ok: true, value: false };
      }
      return fail(`expected a boolean, got ${describe(value)}`);
    case 'timestamp':
      if (value instanceof Date && !Number.isNaN(value.getTime())) return { ok: true, value: value.toISOString() };
      if (typeof value === 'string' && TIMESTAMP.test(value.trim()) && !Number.isNaN(Date.parse(value.trim().replace(' ', 'T')))) {
        return { ok: true, value: value.trim() };
      }
      return fail(`expected a timestamp such as 2024-05-01T12:00:00Z, got ${describe(value)}`);
    case 'version': {
      const text = typeof value === 'number' ? String(value) : value;
      if (typeof text === 'string' && VERSION.test(text.trim())) return { ok: true, value: text.trim() };
      return fail(`expected a version such as 1.2.3, got ${describe(value)}`);
    }
    case 'range':
      if (
        Array.isArray(value) &&
        value.length === 2 &&
        Number.isInteger(value[0]) &&
        (Number.isInteger(value[1]) || value[1] === 'UNBOUNDED') &&
        (value[1] === 'UNBOUNDED' || value[0] <= value[1])
      ) {
        return { ok: true, value };
      }
      return fail(`expected a range [min, max], got ${describe(value)}`);
    case 'null':
      return value === null ? { ok: true, value } : fail(`expected null, got ${describe(value)}`);
    case 'list':
      if (typeof value === 'string') return { ok: true, value };
      return Array.isArray(value) ? { ok: true, value } : fail(`expected a list, got ${describe(value)}`);
    case 'map':
      return isPlainObject(value) ? { ok: true, value } : fail(`expected a map, got ${describe(value)}`);
    default: {
      const kind = scalarUnitKind(type);
      if (kind) {
        if (parseScalarUnit(kind, value)) return { ok: true, value: (value as string).trim() };
        return fail(`expected a ${kind} with a unit such as '${scalarUnitExample(kind)}', got ${describe(value)}`);
      }
      return { ok: true, value };
    }
  }
}
