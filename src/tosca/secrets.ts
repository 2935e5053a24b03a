import type { ParsedTemplate } from './types.js';

export const MASK = '*****';

const SECRET_WORDS = new Set(['password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'apikey']);
const KEY_QUALIFIERS = new Set(['private', 'secret', 'api', 'access', 'encryption']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether an input name suggests a secret: password, token, secret, credential, private/API key… */
export function isSecretInputName(name: string): boolean {
  const w = words(name);
  if (w.some((x) => SECRET_WORDS.has(x) || x.endsWith('password') || x === 'privatekey')) return true;
  return w.some((x, i) => x === 'key' && i > 0 && KEY_QUALIFIERS.has(w[i - 1]));
}

/** Whether an input is secret: metadata `sensitive`/`secret` decides when present, the name otherwise. */
export function isSecretInput(name: string, metadata: Record<string, unknown> | undefined): boolean {
  for (const key of ['sensitive', 'secret']) {
    const flag = metadata?.[key];
    if (typeof flag === 'boolean') return flag;
  }
  return isSecretInputName(name);
}

/** A copy of `values` with every secret input that has a value replaced by `*****`. */
export function maskSecretInputs(t: ParsedTemplate, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const secret = Object.hasOwn(t.inputs, name) ? t.inputs[name].secret : isSecretInputName(name);
    out[name] = secret && value !== undefined && value !== null ? MASK : value;
  }
  return out;
}
