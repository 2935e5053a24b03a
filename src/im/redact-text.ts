export const MASK = '*****';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
// A block cut short (no END line) is masked line by line, so the text after it survives.
const PEM_TRUNCATED =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:(?:\r?\n|\\r\\n|\\n|\s)(?:[A-Za-z0-9+/=]+|[A-Za-z-]+: [^\n\\"']*)(?=\r?\n|\\n|\\r|["']|$))*/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const URL_CREDENTIALS = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]+:)([^\s@/'"]+)(@)/gi;
const SECRET_ASSIGNMENT =
  /(["']?)((?<![A-Za-z0-9_.-])(?:[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|secret|token)|(?:[A-Za-z0-9_.-]*[_.-])?key))\1(\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;{}()[\]"']+)/gi;
const ENDS_VALUE = /^[ \t]*(?:$|[,;}\])\r\n])/;
const NOT_SECRET_KEYS = new Set(['token_type', 'public_key', 'key_name', 'keypair_name']);

/** Masks PEM private keys, JWTs, URL passwords and `password|secret|token|key = value` pairs in free text. */
export function redactText(text: string): string {
  return text
    .replace(PEM_BLOCK, MASK)
    .replace(PEM_TRUNCATED, MASK)
    .replace(JWT, MASK)
    .replace(URL_CREDENTIALS, `$1${MASK}$3`)
    .replace(SECRET_ASSIGNMENT, (whole, q: string, key: string, sep: string, value: string, offset: number, all: string) => {
      if (NOT_SECRET_KEYS.has(key.toLowerCase()) || value === MASK) return whole;
      const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      // `key: word more words` is prose ("auth token: Not enough segments"), not a YAML-style secret.
      if (!quote && sep.includes(':') && !ENDS_VALUE.test(all.slice(offset + whole.length, offset + whole.length + 64))) return whole;
      return `${q}${key}${q}${sep}${quote}${MASK}${quote}`;
    });
}
