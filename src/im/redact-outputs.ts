import { MASK, redactText } from './redact-text.js';

const SECRET_NAME = /password|passwd|passphrase|secret|private_key|access_key|api_key|^token$|_token$/i;

/** Deep-copies IM outputs with credential tokens, secret-named values, PEM keys and JWTs masked. */
export function redactOutputs<T>(outputs: T): T {
  return walk(outputs, undefined) as T;
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') {
    return key !== undefined && SECRET_NAME.test(key) ? MASK : redactText(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return key !== undefined && SECRET_NAME.test(key) ? MASK : value;
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    return out;
  }
  return value;
}
