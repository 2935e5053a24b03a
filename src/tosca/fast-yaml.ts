/**
 * A fast reader for the block-style YAML subset TOSCA templates are written in, resolving plain scalars with
 * the same YAML 1.1 rules as the `yaml` package (yes/no booleans, duplicate keys last-wins). Anything outside
 * the subset (anchors, tags, multi-line plain or quoted scalars, multi-line flow collections, complex keys,
 * timestamps, octal/hex/sexagesimal numbers…) makes it give up and return undefined, so the caller falls back to
 * the full parser. It exists because the full parser dominates the parse time of large templates.
 */
export function parseFastYaml(src: string): { value: unknown } | undefined {
  try {
    return { value: new FastReader(src).document() };
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

interface Line {
  indent: number;
  /** The line without its indentation. */
  text: string;
  /** Blank or comment-only. */
  skip: boolean;
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
function resolvePlain(s: string): unknown {
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
function keyOf(value: unknown): string {
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
function readQuoted(text: string, pos: number): { value: string; end: number } {
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

function skipSpaces(text: string, pos: number): number {
  while (text[pos] === ' ') pos++;
  if (text[pos] === '\t') unsupported();
  return pos;
}

/** Only spaces or a comment remain from `pos`. */
function isRestEmpty(text: string, pos: number): boolean {
  const p = skipSpaces(text, pos);
  return p >= text.length || (text[p] === '#' && (p === 0 || text[p - 1] === ' '));
}

const FLOW_STOP = new Set([',', '[', ']', '{', '}']);

class FlowReader {
  constructor(private readonly text: string) {}

  node(pos: number): { value: unknown; end: number } {
    const p = skipSpaces(this.text, pos);
    const c = this.text[p];
    if (c === '[') return this.seq(p + 1);
    if (c === '{') return this.map(p + 1);
    if (c === '"' || c === "'") return readQuoted(this.text, p);
    if (c === undefined || '&*!|>%@`#,]}'.includes(c)) unsupported();
    return this.plain(p);
  }

  private plain(pos: number): { value: unknown; end: number } {
    const t = this.text;
    let i = pos;
    while (i < t.length) {
      const c = t[i];
      if (FLOW_STOP.has(c)) break;
      if (c === ':' && (t[i + 1] === ' ' || t[i + 1] === undefined || FLOW_STOP.has(t[i + 1]))) break;
      if (c === '#' && t[i - 1] === ' ') unsupported();
      i++;
    }
    const raw = t.slice(pos, i).trimEnd();
    if (!raw) unsupported();
    return { value: resolvePlain(raw), end: i };
  }

  /** After a key: `: value`, or nothing (null). */
  private pairValue(pos: number, close: string): { value: unknown; end: number; hasColon: boolean } {
    let p = skipSpaces(this.text, pos);
    if (this.text[p] !== ':') return { value: null, end: p, hasColon: false };
    p = skipSpaces(this.text, p + 1);
    const next = this.text[p];
    if (next === ',' || next === close) return { value: null, end: p, hasColon: true };
    const v = this.node(p);
    return { value: v.value, end: v.end, hasColon: true };
  }

  private seq(pos: number): { value: unknown; end: number } {
    const out: unknown[] = [];
    let p = skipSpaces(this.text, pos);
    if (this.text[p] === ']') return { value: out, end: p + 1 };
    for (;;) {
      const item = this.node(p);
      const pair = this.pairValue(item.end, ']');
      if (pair.hasColon) {
        if (item.value !== null && typeof item.value === 'object') unsupported();
        out.push({ [keyOf(item.value)]: pair.value });
      } else out.push(item.value);
      p = skipSpaces(this.text, pair.end);
      const c = this.text[p];
      if (c === ']') return { value: out, end: p + 1 };
      if (c !== ',') unsupported();
      p = skipSpaces(this.text, p + 1);
      if (this.text[p] === ']') return { value: out, end: p + 1 };
    }
  }

  private map(pos: number): { value: unknown; end: number } {
    const out: Record<string, unknown> = {};
    let p = skipSpaces(this.text, pos);
    if (this.text[p] === '}') return { value: out, end: p + 1 };
    for (;;) {
      const key = this.node(p);
      if (key.value !== null && typeof key.value === 'object') unsupported();
      const pair = this.pairValue(key.end, '}');
      out[keyOf(key.value)] = pair.value;
      p = skipSpaces(this.text, pair.end);
      const c = this.text[p];
      if (c === '}') return { value: out, end: p + 1 };
      if (c !== ',') unsupported();
      p = skipSpaces(this.text, p + 1);
      if (this.text[p] === '}') return { value: out, end: p + 1 };
    }
  }
}

class FastReader {
  private readonly lines: Line[];
  /** Lines of the file; a final newline does not start another line. */
  private readonly lineCount: number;
  private readonly endsWithNewline: boolean;
  private pos = 0;

  constructor(src: string) {
    if (src.charCodeAt(0) === 0xfeff) unsupported();
    const text = src.includes('\r') ? src.replace(/\r\n/g, '\n') : src;
    if (text.includes('\r')) unsupported();
    const raw = text.split('\n');
    this.endsWithNewline = text.endsWith('\n');
    this.lineCount = this.endsWithNewline ? raw.length - 1 : raw.length;
    this.lines = raw.map((raw) => {
      let indent = 0;
      while (raw.charCodeAt(indent) === 32) indent++;
      const rest = raw.slice(indent);
      const skip = rest.trim() === '' || rest[0] === '#';
      if (!skip && rest[0] === '\t') unsupported();
      return { indent, text: rest, skip };
    });
  }

  document(): unknown {
    let first = this.peek();
    if (first?.indent === 0 && first.text.startsWith('%')) unsupported();
    if (first?.indent === 0 && (first.text === '---' || first.text.startsWith('--- '))) {
      if (!isRestEmpty(first.text, 3)) unsupported();
      this.pos++;
      first = this.peek();
    }
    if (!first) return null;
    const value = this.node(0);
    if (this.peek()) unsupported();
    return value;
  }

  private peek(): Line | undefined {
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (!line.skip) {
        if (line.indent === 0 && (line.text.startsWith('---') || line.text.startsWith('...'))) unsupported();
        return line;
      }
      this.pos++;
    }
    return undefined;
  }

  /** A node on the following lines, indented at least `minIndent`. */
  private node(minIndent: number): unknown {
    const line = this.peek();
    if (!line || line.indent < minIndent) return null;
    if (isSeqItem(line.text)) return this.seq(line.indent);
    if (splitKey(line.text)) return this.map(line.indent);
    this.pos++;
    const value = this.inlineValue(line.text, 0);
    const next = this.peek();
    if (next && next.indent >= minIndent) unsupported();
    return value;
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.peek(); line && line.indent === indent && isSeqItem(line.text); line = this.peek()) {
      const offset = skipSpaces(line.text, 1);
      const content = line.text.slice(offset);
      if (content === '' || content[0] === '#') {
        this.pos++;
        out.push(this.childOrNull(indent));
      } else if (isSeqItem(content) || splitKey(content)) {
        this.lines[this.pos] = { indent: indent + offset, text: content, skip: false };
        out.push(this.node(indent + 1));
      } else {
        out.push(this.value(content, indent));
      }
    }
    const after = this.peek();
    if (after && after.indent > indent) unsupported();
    return out;
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.peek(); line && line.indent === indent; line = this.peek()) {
      const kv = splitKey(line.text);
      if (!kv) unsupported();
      let value: unknown;
      if (kv.rest === '' || kv.rest[0] === '#') {
        this.pos++;
        const next = this.peek();
        if (next && next.indent === indent && isSeqItem(next.text)) value = this.seq(indent);
        else value = this.childOrNull(indent);
      } else {
        value = this.value(kv.rest, indent);
      }
      out[kv.key] = value;
    }
    const after = this.peek();
    if (after && after.indent > indent) unsupported();
    return out;
  }

  private childOrNull(parentIndent: number): unknown {
    const next = this.peek();
    return next && next.indent > parentIndent ? this.node(parentIndent + 1) : null;
  }

  /** The value written after `key:` or `- ` on the current line. */
  private value(content: string, parentIndent: number): unknown {
    if (content[0] === '|' || content[0] === '>') return this.blockScalar(content, parentIndent);
    this.pos++;
    const value = this.inlineValue(content, 0);
    const next = this.peek();
    if (next && next.indent > parentIndent) unsupported();
    return value;
  }

  private inlineValue(text: string, pos: number): unknown {
    const c = text[pos];
    if (c === '[' || c === '{' || c === '"' || c === "'") {
      const r = c === '[' || c === '{' ? new FlowReader(text).node(pos) : readQuoted(text, pos);
      if (!isRestEmpty(text, r.end)) unsupported();
      return r.value;
    }
    if ('&*!|>%@`?'.includes(c)) unsupported();
    let end = text.length;
    const hash = text.indexOf(' #', pos);
    if (hash >= 0) end = hash;
    const plain = text.slice(pos, end).trimEnd();
    if (plain.includes(': ') || plain.endsWith(':') || plain.includes('\t') || /^[-?:]( |$)/.test(plain)) unsupported();
    return resolvePlain(plain);
  }

  private blockScalar(header: string, parentIndent: number): string {
    const style = header[0];
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    let i = 1;
    if (header[i] === '-' || header[i] === '+') chomp = header[i++] === '-' ? 'strip' : 'keep';
    if (/[0-9]/.test(header[i] ?? '') || !isRestEmpty(header, i)) unsupported();
    const start = this.pos + 1;
    let end = start;
    let contentIndent = -1;
    let leadingBlankIndent = 0;
    for (; end < this.lineCount; end++) {
      const line = this.lines[end];
      if (line.text.trim() === '') {
        if (line.text.includes('\t')) unsupported();
        if (contentIndent < 0) leadingBlankIndent = Math.max(leadingBlankIndent, line.indent);
        continue;
      }
      if (line.indent <= parentIndent) break;
      if (contentIndent < 0) contentIndent = line.indent;
      else if (line.indent < contentIndent) unsupported();
    }
    // Content running into the end of a file without a final newline, or indentation the spec treats specially.
    if (contentIndent < 0 || leadingBlankIndent > contentIndent || (end === this.lineCount && !this.endsWithNewline)) {
      unsupported();
    }
    const body: string[] = [];
    for (let j = start; j < end; j++) {
      const line = this.lines[j];
      const blank = line.text.trim() === '';
      body.push(' '.repeat(Math.max(0, line.indent - contentIndent)) + (blank ? '' : line.text));
    }
    this.pos = end;
    let last = body.length - 1;
    while (last >= 0 && body[last].trim() === '') last--;
    const trailing = body.length - 1 - last;
    const content = body.slice(0, last + 1);
    if (style === '>' && content.some((l) => l.startsWith(' '))) unsupported();
    const text = style === '|' ? content.join('\n') : fold(content);
    if (chomp === 'strip') return text;
    if (chomp === 'clip') return `${text}\n`;
    return `${text}\n${'\n'.repeat(trailing)}`;
  }
}

/** Folded style: single line breaks become spaces, each blank line a newline. */
function fold(lines: string[]): string {
  let out = '';
  let blanks = 0;
  for (let k = 0; k < lines.length; k++) {
    if (lines[k] === '') {
      blanks++;
      continue;
    }
    if (k > 0) out += blanks ? '\n'.repeat(blanks) : ' ';
    blanks = 0;
    out += lines[k];
  }
  return out;
}

function isSeqItem(text: string): boolean {
  if (text[0] !== '-') return false;
  if (text[1] === '\t') unsupported();
  return text.length === 1 || text[1] === ' ';
}

/** `key: rest` with a plain or quoted key, or undefined when the line is not a mapping entry. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  const c = text[0];
  if (c === '"' || c === "'") {
    const q = readQuotedOrUndefined(text);
    if (!q) return undefined;
    const p = skipSpaces(text, q.end);
    if (text[p] !== ':' || (text[p + 1] !== undefined && text[p + 1] !== ' ')) return undefined;
    return { key: keyOf(q.value), rest: text.slice(skipSpaces(text, p + 1)) };
  }
  if (c === '?' && (text[1] === ' ' || text.length === 1)) unsupported();
  if (c === undefined || '[{&*!|>%@`#'.includes(c)) return undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '#' && text[i - 1] === ' ') return undefined;
    if (ch === ':' && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\t')) {
      if (text[i + 1] === '\t') unsupported();
      const key = text.slice(0, i).trimEnd();
      if (!key) unsupported();
      return { key: keyOf(resolvePlain(key)), rest: text.slice(skipSpaces(text, i + 1)) };
    }
  }
  return undefined;
}

function readQuotedOrUndefined(text: string): { value: string; end: number } | undefined {
  try {
    return readQuoted(text, 0);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}
