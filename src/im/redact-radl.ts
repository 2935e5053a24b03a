import { MASK, redactText } from './redact-text.js';

const RECIPES = /@begin[\s\S]*?@end/g;
const RADL_SECRET_VALUE =
  /((?<![\w.])[\w.]*?(?:password|private_key|proxy_key|proxy_host|token|secret)\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s)]+)/gi;
const SECRET_KEY = /(?:^|[._])(?:password|private_key|proxy_key|proxy_host|token|secret|passphrase)$/i;

/** Masks credentials, proxy settings and configure recipes in RADL text. */
export function redactRadl(radl: string): string {
  return redactText(
    radl
      .replace(RECIPES, `@begin\n${MASK}\n@end`)
      .replace(RADL_SECRET_VALUE, (_whole, lhs: string, value: string) => {
        const quote = value.startsWith('"') ? '"' : "'";
        return `${lhs}${quote}${MASK}${quote}`;
      }),
  );
}

/** Whether a RADL-JSON key (e.g. `disk.0.os.credentials.new.password`) names a secret. */
export function isRadlSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep-copies RADL-JSON aspects with secrets and configure recipes masked. */
export function redactRadlJson<T>(value: T): T {
  return redactNode(value, false) as T;
}

function redactNode(value: unknown, secret: boolean): unknown {
  if (typeof value === 'string') return secret ? MASK : redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return secret ? MASK : value;
  if (Array.isArray(value)) return value.map((v) => redactNode(v, secret));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactNode(v, secret || isRadlSecretKey(k) || k === 'recipes');
    return out;
  }
  return value;
}
