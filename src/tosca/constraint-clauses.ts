import type { Segment } from './issues.js';
import { isPlainObject, type PlainObject } from './plain.js';

/** Where clause-reading problems go: errors refuse the template, warnings record a lenient reading. */
export interface IssueSink {
  error(path: Segment[], message: string): void;
  warn(path: Segment[], message: string): void;
}

/** For readings whose problems were reported elsewhere, or are not the template's to fix. */
export const IGNORED_ISSUES: IssueSink = { error() {}, warn() {} };

export interface ConstraintClause {
  operator: string;
  value: unknown;
  /** Where the clause's value was written, for errors about it. */
  path: Segment[];
}

/**
 * The clauses of a `constraints` entry in written order. The grammar asks for a list of single-operator
 * maps; production catalogues also write one map of operators, or several operators in one list entry.
 * Both read unambiguously as that list (constraints are conjunctive), so they are accepted with a warning.
 */
export function constraintClauses(raw: unknown, path: Segment[], issues: IssueSink): ConstraintClause[] {
  if (raw === undefined || raw === null) return [];
  if (isPlainObject(raw)) {
    const keys = Object.keys(raw);
    if (keys.length) {
      issues.warn(path, `constraints are written as a map; read as the list of its ${keys.length} clause(s) in written order (${keys.join(', ')})`);
    }
    return keys.map((operator) => clause(operator, raw[operator], [...path, operator], issues));
  }
  if (!Array.isArray(raw)) {
    issues.error(path, 'constraints must be a list of single-operator maps');
    return [];
  }
  const clauses: ConstraintClause[] = [];
  raw.forEach((item, i) => {
    const at = [...path, i];
    const keys = isPlainObject(item) ? Object.keys(item) : [];
    if (!keys.length) {
      issues.error(at, 'a constraint must be a map with one operator');
      return;
    }
    if (keys.length > 1) issues.warn(at, `a constraint entry holds ${keys.length} operators (${keys.join(', ')}); each is read as its own clause`);
    const entry = item as Record<string, unknown>;
    for (const operator of keys) clauses.push(clause(operator, entry[operator], [...at, operator], issues));
  });
  return clauses;
}

/** A lone `valid_values` scalar can only mean the list of that one value. */
function clause(operator: string, value: unknown, path: Segment[], issues: IssueSink): ConstraintClause {
  if (operator === 'valid_values' && isScalar(value)) {
    issues.warn(path, `valid_values is the single value ${JSON.stringify(value)}; read as a list of one`);
    return { operator, value: [value], path };
  }
  return { operator, value, path };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Clauses back in the grammar's list form, as type files are stored. */
export function clausesAsList(clauses: ConstraintClause[]): Array<Record<string, unknown>> {
  return clauses.map((c) => ({ [c.operator]: c.value }));
}

/**
 * A copy of a value definition (input, property, attribute, entry_schema) with its constraints, and those of
 * its entry_schema at every depth, in the grammar's list form; everything else as written.
 */
export function withListConstraints(def: PlainObject, path: Segment[], issues: IssueSink): PlainObject {
  const out: PlainObject = { ...def };
  if (def.constraints !== undefined && def.constraints !== null) {
    out.constraints = clausesAsList(constraintClauses(def.constraints, [...path, 'constraints'], issues));
  }
  if (isPlainObject(def.entry_schema)) out.entry_schema = withListConstraints(def.entry_schema, [...path, 'entry_schema'], issues);
  return out;
}
