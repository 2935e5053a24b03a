import { isPlainObject } from './plain.js';
import type { Segment } from './issues.js';

export const FUNCTION_NAMES = new Set([
  'get_input',
  'get_property',
  'get_attribute',
  'get_operation_output',
  'get_nodes_of_type',
  'get_artifact',
  'concat',
  'join',
  'token',
]);

export interface FunctionCall {
  name: string;
  args: unknown;
}

/** A single-key map whose key is a TOSCA intrinsic function. */
export function asFunctionCall(value: unknown): FunctionCall | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !FUNCTION_NAMES.has(keys[0])) return undefined;
  return { name: keys[0], args: value[keys[0]] };
}

export function argList(args: unknown): unknown[] {
  return Array.isArray(args) ? args : [args];
}

/** The input a get_input names (`get_input: x` or `get_input: [x]`). */
export function getInputName(args: unknown): string | undefined {
  const first = Array.isArray(args) ? args[0] : args;
  return typeof first === 'string' ? first : undefined;
}

/** Visits every function call below `value`, outermost first. */
export function visitFunctions(
  value: unknown,
  path: Segment[],
  visit: (call: FunctionCall, path: Segment[]) => void,
): void {
  const call = asFunctionCall(value);
  if (call) {
    visit(call, path);
    visitFunctions(call.args, [...path, call.name], visit);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => visitFunctions(v, [...path, i], visit));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) visitFunctions(v, [...path, k], visit);
}

/** Whether any function call sits at or below `value` (stops at the first). */
export function containsFunctionCall(value: unknown): boolean {
  if (asFunctionCall(value)) return true;
  if (Array.isArray(value)) return value.some(containsFunctionCall);
  if (isPlainObject(value)) return Object.values(value).some(containsFunctionCall);
  return false;
}

/** Replaces every get_input below `value`; `lookup` returns undefined to leave a call in place. */
export function substituteInputs(value: unknown, lookup: (name: string) => { value: unknown } | undefined): unknown {
  const call = asFunctionCall(value);
  if (call?.name === 'get_input') {
    const name = getInputName(call.args);
    const found = name === undefined ? undefined : lookup(name);
    if (!found) return value;
    const rest = Array.isArray(call.args) ? call.args.slice(1) : [];
    return indexInto(found.value, rest);
  }
  if (Array.isArray(value)) return value.map((v) => substituteInputs(v, lookup));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteInputs(v, lookup);
    return out;
  }
  return value;
}

/** Follows nested keys and list indexes; undefined when a step is missing. */
export function indexInto(value: unknown, keys: unknown[]): unknown {
  let current = value;
  for (const key of keys) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isPlainObject(current) && (typeof key === 'string' || typeof key === 'number') && Object.hasOwn(current, String(key))) {
      current = current[String(key)];
    }
    else return undefined;
  }
  return current;
}
