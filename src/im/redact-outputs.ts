import { isSecretInputName } from '../tosca/secrets.js';
import { MASK, redactText } from './redact-text.js';

const NOT_SECRET_NAMES = new Set(['token_type']);

function isSecretName(key: string | undefined): boolean {
  return key !== undefined && !NOT_SECRET_NAMES.has(key) && isSecretInputName(key);
}

/** Deep-copies IM outputs with credential tokens, secret-named values (and all below them), PEM keys and JWTs masked. */
export function redactOutputs<T>(outputs: T): T {
  return walk(outputs, false) as T;
}

function walk(value: unknown, secret: boolean): unknown {
  if (typeof value === 'string') return secret ? MASK : redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return secret ? MASK : value;
  if (Array.isArray(value)) return value.map((v) => walk(v, secret));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, secret || isSecretName(k));
    return out;
  }
  return value;
}
