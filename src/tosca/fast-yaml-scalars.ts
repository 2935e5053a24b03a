/** Scalar-level pieces of the fast YAML reader: plain-scalar resolution, quoted scalars, spacing. */

/** Thrown when the input leaves the supported subset; the caller falls back to the full parser. */
export class Unsupported extends Error {}

export function unsupported(): never {
  throw new Unsupported();
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP_START = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

/** YAML 1.1 plain-scalar resolution, in the `yaml` package's tag order. */
export function resolvePlain(s: string): unknown {
  if (NULL.test(s)) return null;
  if (TRUE.test(s)) return true;
  if (FALSE.test(s)) return false;
  if (INT_BIN.test(s) || INT_OCT.test(s) || INT_HEX.test(s)) unsupported();
  if (INT.test(s)) {
    const sign = s[0];
    const n = parseInt(s.substring(sign === '-' || sign === '+' ? 1 : 0).replace(/_/g, ''), 10);
    return sign === '-' ? -1 * n : n;
  }
  if (FLOAT_NAN.test(s)) {
    if (s.slice(-3).toLowerCase() === 'nan') return NaN;
    return s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s.replace(/_/g, ''));
  if (SEXAGESIMAL.test(s) || TIMESTAMP_START.test(s) || s === '<<') unsupported();
  return s;
}

/** Only string keys take the fast path: the full parser's rendering of other keys is left to it. */
export function keyOf(value: unknown): string {
  if (typeof value !== 'string' || value === '__proto__') unsupported();
  return value;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/** A quoted scalar starting at `pos` (on the quote); it must close on the same line. */
export function readQuoted(text: string, pos: number): { value: string; end: number } {
  const quote = text[pos];
  let out = '';
  let i = pos + 1;
  while (i < text.length) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") {
        if (text[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        return { value: out, end: i + 1 };
      }
      out += c;
      i++;
      continue;
    }
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const e = text[i + 1];
      if (e === undefined) unsupported();
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex) {
        const digits = text.slice(i + 2, i + 2 + hex);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) unsupported();
        out += String.fromCodePoint(parseInt(digits, 16));
        i += 2 + hex;
        continue;
      }
      const mapped = ESCAPES[e];
      if (mapped === undefined) unsupported();
      out += mapped;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return unsupported();
}

export function skipSpaces(text: string, pos: number): number {
  while (text[pos] === ' ') pos++;
  if (text[pos] === '\t') unsupported();
  return pos;
}

/** Only spaces or a comment remain from `pos`. */
export function isRestEmpty(text: string, pos: number): boolean {
  const p = skipSpaces(text, pos);
  return p >= text.length || (text[p] === '#' && (p === 0 || text[p - 1] === ' '));
}
