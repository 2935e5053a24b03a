/** True when any string (or key) inside `value` passes `test`. */
function anyText(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((v) => anyText(v, test));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => test(k) || anyText(v, test));
  return false;
}

/** True when any string (or key) inside `value` holds U+0000, which Postgres text and jsonb reject. */
export function containsNul(value: unknown): boolean {
  return anyText(value, (s) => s.includes('\u0000'));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when any string (or key) inside `value` holds half a surrogate pair (a JSON "\ud800"), which Postgres jsonb rejects. */
export function containsLoneSurrogate(value: unknown): boolean {
  return anyText(value, (s) => LONE_SURROGATE.test(s));
}
