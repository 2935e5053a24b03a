import { constraintClauses, type IssueSink } from './constraint-clauses.js';
import type { Segment } from './issues.js';
import { isPlainObject } from './plain.js';
import { MAX_PATTERN_SUBJECT, patternRisk } from './safe-pattern.js';
import { parseScalarUnit, scalarUnitKind } from './scalar-units.js';
import type { Constraint } from './types.js';
import { timestampMs } from './value-types.js';

export const CONSTRAINT_OPERATORS = [
  'equal',
  'greater_than',
  'greater_or_equal',
  'less_than',
  'less_or_equal',
  'in_range',
  'valid_values',
  'length',
  'min_length',
  'max_length',
  'pattern',
] as const;

const OPERATORS = new Set<string>(CONSTRAINT_OPERATORS);
const LENGTH_OPERATORS = new Set(['length', 'min_length', 'max_length']);

/** Reads a definition's constraints (see constraintClauses for the accepted shapes), reporting malformed clauses. */
export function readConstraints(raw: unknown, path: Segment[], issues: IssueSink): Constraint[] {
  const out: Constraint[] = [];
  for (const { operator, value, path: at } of constraintClauses(raw, path, issues)) {
    const problem = OPERATORS.has(operator) ? shapeProblem(operator, value) : `unknown constraint operator ${operator}`;
    if (problem) issues.error(at, problem);
    else out.push({ operator, value });
  }
  return out;
}

function shapeProblem(operator: string, value: unknown): string | undefined {
  switch (operator) {
    case 'in_range':
      return Array.isArray(value) && value.length === 2 ? undefined : 'in_range needs a list of two values';
    case 'valid_values':
      return Array.isArray(value) ? undefined : 'valid_values needs a list';
    case 'length':
    case 'min_length':
    case 'max_length':
      return Number.isInteger(value) && (value as number) >= 0 ? undefined : `${operator} needs a non-negative integer`;
    case 'pattern':
      if (typeof value !== 'string') return 'pattern needs a string';
      return patternProblem(value);
    default:
      return value === undefined || value === null ? `${operator} needs a value` : undefined;
  }
}

function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch {
    return `pattern ${JSON.stringify(pattern)} is not a valid regular expression`;
  }
  const risk = patternRisk(pattern);
  return risk ? `pattern ${JSON.stringify(pattern)} is refused: ${risk}` : undefined;
}

type Comparable = { kind: 'number'; n: number } | { kind: 'version'; parts: Array<number | string> } | { kind: 'string'; s: string };

function comparable(type: string, value: unknown): Comparable | undefined {
  const unit = scalarUnitKind(type);
  if (unit) {
    const parsed = parseScalarUnit(unit, value);
    return parsed ? { kind: 'number', n: parsed.base } : undefined;
  }
  if (type === 'version') {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string') return undefined;
    return { kind: 'version', parts: text.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p)) };
  }
  if (type === 'timestamp') {
    const ms = timestampMs(value);
    return ms === undefined ? undefined : { kind: 'number', n: ms };
  }
  if (typeof value === 'number') return { kind: 'number', n: value };
  if (typeof value === 'string') {
    if ((type === 'integer' || type === 'float') && value.trim() !== '' && !Number.isNaN(Number(value))) {
      return { kind: 'number', n: Number(value) };
    }
    return { kind: 'string', s: value };
  }
  return undefined;
}

function compare(type: string, a: unknown, b: unknown): number | undefined {
  const x = comparable(type, a);
  const y = comparable(type, b);
  if (!x || !y || x.kind !== y.kind) return undefined;
  if (x.kind === 'number' && y.kind === 'number') return Math.sign(x.n - y.n);
  if (x.kind === 'string' && y.kind === 'string') return x.s < y.s ? -1 : x.s > y.s ? 1 : 0;
  if (x.kind === 'version' && y.kind === 'version') {
    const len = Math.max(x.parts.length, y.parts.length);
    for (let i = 0; i < len; i++) {
      const p = x.parts[i] ?? 0;
      const q = y.parts[i] ?? 0;
      if (p === q) continue;
      if (typeof p === 'number' && typeof q === 'number') return Math.sign(p - q);
      return String(p) < String(q) ? -1 : 1;
    }
    return 0;
  }
  return undefined;
}

/** Versions and strings compare by their text (`16.04` equals `"16.04"`), sizes after unit normalisation. */
function equals(type: string, a: unknown, b: unknown): boolean {
  if (type === 'version' || type === 'string') return textOf(a) === textOf(b);
  if (scalarUnitKind(type)) return compare(type, a, b) === 0;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'string' ? Number(a) : a;
    const y = typeof b === 'string' ? Number(b) : b;
    return x === y;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return textOf(a).toLowerCase() === textOf(b).toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  return undefined;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** The reason `value` (already of `type`) breaks the constraint, or undefined when it holds. */
export function constraintFailure(c: Constraint, type: string, value: unknown): string | undefined {
  // A range is bounded by its two ends: each must hold (`UNBOUNDED` stands for no upper end).
  if (type === 'range' && Array.isArray(value) && c.operator !== 'equal' && c.operator !== 'valid_values') {
    for (const end of value) {
      if (end === 'UNBOUNDED') continue;
      const reason = constraintFailure(c, 'integer', end);
      if (reason) return `has the end ${JSON.stringify(end)}, which ${reason}`;
    }
    return undefined;
  }
  const cmp = (bound: unknown) => compare(type, value, bound);
  // A string given for a list or map is passed on verbatim; its character count says nothing about entries.
  if (LENGTH_OPERATORS.has(c.operator) && (type === 'list' || type === 'map') && typeof value === 'string') return undefined;
  switch (c.operator) {
    case 'equal':
      return equals(type, value, c.value) ? undefined : `must be equal to ${show(c.value)}`;
    case 'valid_values': {
      const allowed = c.value as unknown[];
      return allowed.some((v) => equals(type, value, v)) ? undefined : `must be one of ${show(allowed)}`;
    }
    case 'greater_than':
      return cmp(c.value) === 1 ? undefined : `must be greater than ${show(c.value)}`;
    case 'greater_or_equal': {
      const r = cmp(c.value);
      return r === 1 || r === 0 ? undefined : `must be greater than or equal to ${show(c.value)}`;
    }
    case 'less_than':
      return cmp(c.value) === -1 ? undefined : `must be less than ${show(c.value)}`;
    case 'less_or_equal': {
      const r = cmp(c.value);
      return r === -1 || r === 0 ? undefined : `must be less than or equal to ${show(c.value)}`;
    }
    case 'in_range': {
      const [lo, hi] = c.value as [unknown, unknown];
      const aboveLo = cmp(lo);
      const belowHi = hi === 'UNBOUNDED' ? -1 : cmp(hi);
      const inside = (aboveLo === 1 || aboveLo === 0) && (belowHi === -1 || belowHi === 0);
      return inside ? undefined : `must be in the range [${show(lo)}, ${show(hi)}]`;
    }
    case 'length':
      return sizeOf(value) === c.value ? undefined : `must have length ${show(c.value)}`;
    case 'min_length': {
      const n = sizeOf(value);
      return n !== undefined && n >= (c.value as number) ? undefined : `must have length of at least ${show(c.value)}`;
    }
    case 'max_length': {
      const n = sizeOf(value);
      return n !== undefined && n <= (c.value as number) ? undefined : `must have length of at most ${show(c.value)}`;
    }
    case 'pattern': {
      if (typeof value !== 'string') return `must be a string matching ${show(c.value)}`;
      if (value.length > MAX_PATTERN_SUBJECT) return `must be at most ${MAX_PATTERN_SUBJECT} characters long to be checked against a pattern`;
      return new RegExp(`^(?:${c.value as string})$`, 'u').test(value) ? undefined : `must match the pattern ${show(c.value)}`;
    }
    default:
      return undefined;
  }
}
