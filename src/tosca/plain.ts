export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function asObject(value: unknown): PlainObject {
  return isPlainObject(value) ? value : {};
}

/** TOSCA lists of single-key maps (`requirements`, `policies`, `imports`) as [key, value] pairs. */
export function singleKeyEntries(value: unknown): Array<[string, unknown]> {
  if (!Array.isArray(value)) return isPlainObject(value) ? Object.entries(value) : [];
  const out: Array<[string, unknown]> = [];
  for (const item of value) {
    if (isPlainObject(item)) for (const [k, v] of Object.entries(item)) out.push([k, v]);
  }
  return out;
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}
