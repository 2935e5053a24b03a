import { MASK, redactText } from '../../im/redact-text.js';

/** Shorter values would mask ordinary words and digits all over a log. */
const MIN_SECRET_LENGTH = 4;

/** The literal values of a deployment's secret inputs, longest first so no secret is half-masked. */
export function secretValuesOf(inputs: unknown, secretNames: readonly string[]): string[] {
  if (!inputs || typeof inputs !== 'object') return [];
  const values = new Set<string>();
  for (const name of secretNames) {
    const v = (inputs as Record<string, unknown>)[name];
    if (v === null || v === undefined) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (text.length >= MIN_SECRET_LENGTH) values.add(text);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** Masks the deployment's own secret values wherever they appear, then every secret-looking pattern. */
export function redactLogText(text: string, secretValues: readonly string[]): string {
  let out = text;
  for (const v of secretValues) out = out.split(v).join(MASK);
  return redactText(out);
}
