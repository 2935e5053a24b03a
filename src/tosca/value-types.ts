import { isPlainObject } from './plain.js';
import { parseScalarUnit, scalarUnitExample, scalarUnitKind } from './scalar-units.js';

export type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

const VERSION = /^\d+(\.\d+){0,2}(\.[A-Za-z0-9_]+(-\d+)?)?$/;
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?(?:[ \t]*(Z|[-+])(\d{1,2})?(?::(\d{2}))?)?)?$/;
const INTEGER = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function fail(reason: string): Coerced {
  return { ok: false, reason };
}

/** How a rejected value is shown; a secret one only by its kind. */
function describe(value: unknown, secret: boolean): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return secret ? `a ${typeof value}` : `${typeof value} ${JSON.stringify(value)}`;
}

export interface CoerceOptions {
  /** No conversions between strings, numbers and booleans (template defaults). */
  strict?: boolean;
  /** Never echo the value in a reason. */
  secret?: boolean;
}

/**
 * Checks a value against a primitive TOSCA type and returns it in canonical form (numeric strings become
 * numbers, `"true"` a boolean, numbers given for strings or versions become strings). Entries of lists
 * and maps are checked by checkValue.
 * A string given for a list is kept unchanged: the Java orchestrator substitutes such strings verbatim.
 */
export function coerceValue(type: string, value: unknown, options: CoerceOptions = {}): Coerced {
  const strict = options.strict ?? false;
  const show = (v: unknown) => describe(v, options.secret ?? false);
  if (strict && typeof value === 'string' && ['integer', 'float', 'boolean'].includes(type)) {
    return fail(`expected ${type === 'integer' ? 'an integer' : type === 'float' ? 'a number' : 'a boolean'}, got ${show(value)}`);
  }
  switch (type) {
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (!strict && (typeof value === 'number' || typeof value === 'boolean')) return { ok: true, value: String(value) };
      return fail(`expected a string, got ${show(value)}`);
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && INTEGER.test(value.trim()) && Number.isSafeInteger(Number(value.trim()))) {
        return { ok: true, value: Number(value.trim()) };
      }
      if (typeof value === 'number' && Number.isInteger(value)) return fail(`expected an integer between -(2^53 - 1) and 2^53 - 1, got ${show(value)}`);
      return fail(`expected an integer, got ${show(value)}`);
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'string' && FLOAT.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return fail(`expected a number, got ${show(value)}`);
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'string') {
        const v = value.trim().toLowerCase();
        if (v === 'true' || v === 'yes') return { ok: true, value: true };
        if (v === 'false' || v === 'no') return { ok: true, value: false };
      }
      return fail(`expected a boolean, got ${show(value)}`);
    case 'timestamp':
      if (value instanceof Date && !Number.isNaN(value.getTime())) return { ok: true, value: value.toISOString() };
      if (typeof value === 'string' && timestampMs(value) !== undefined) return { ok: true, value: value.trim() };
      return fail(`expected a timestamp such as 2024-05-01T12:00:00Z, got ${show(value)}`);
    case 'version': {
      const text = typeof value === 'number' ? String(value) : value;
      if (typeof text === 'string' && VERSION.test(text.trim())) return { ok: true, value: text.trim() };
      return fail(`expected a version such as 1.2.3, got ${show(value)}`);
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
      return fail(`expected a range [min, max], got ${show(value)}`);
    case 'null':
      return value === null ? { ok: true, value } : fail(`expected null, got ${show(value)}`);
    case 'list':
      if (typeof value === 'string') return { ok: true, value };
      return Array.isArray(value) ? { ok: true, value } : fail(`expected a list, got ${show(value)}`);
    case 'map':
      return isPlainObject(value) ? { ok: true, value } : fail(`expected a map, got ${show(value)}`);
    default: {
      const kind = scalarUnitKind(type);
      if (kind) {
        if (parseScalarUnit(kind, value)) return { ok: true, value: (value as string).trim() };
        return fail(`expected a ${kind} with a unit such as '${scalarUnitExample(kind)}', got ${show(value)}`);
      }
      return { ok: true, value };
    }
  }
}

/** Milliseconds since the epoch of a YAML/ISO 8601 timestamp (`2001-12-14 21:59:43.10 -5`), or undefined. */
export function timestampMs(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => (x === undefined ? 0 : Number(x)));
  const fraction = m[7] ? Number(m[7]) : 0;
  const sign = m[8] === '-' ? -1 : 1;
  const offsetMin = m[8] && m[8] !== 'Z' ? sign * (Number(m[9] ?? 0) * 60 + Number(m[10] ?? 0)) : 0;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000) - offsetMin * 60_000;
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 61;
  return valid ? ms : undefined;
}
