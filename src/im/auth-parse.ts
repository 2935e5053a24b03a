/** One credential line of an IM Authorization header, as `key → value`. */
export type AuthLine = Record<string, string>;

const LINE_SEPARATOR = '\\n';
const EMBEDDED_NEWLINE = '\\\\n';

function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let current = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === sep) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

function parseLine(line: string): AuthLine {
  const out: AuthLine = {};
  for (const pair of splitOutsideQuotes(line, ';')) {
    if (pair.trim() === '') continue;
    const kv = splitOutsideQuotes(pair, '=');
    // The IM stops reading a line at the first pair that is not exactly `key = value`.
    if (kv.length !== 2) break;
    const key = kv[0].trim();
    if (key) out[key] = unquote(kv[1].trim());
  }
  return out;
}

/**
 * Parses an IM Authorization header the way the IM does: `\\n` embeds a newline, `\n` separates
 * lines, `;` separates pairs, blank and `#` lines are skipped.
 */
export function parseImAuthHeader(value: string): AuthLine[] {
  return value
    .split(EMBEDDED_NEWLINE)
    .join('\n')
    .split(LINE_SEPARATOR)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map(parseLine)
    .filter((l) => Object.keys(l).length > 0);
}
