import { FlowReader } from './fast-yaml-flow.js';
import { isRestEmpty, keyOf, readQuoted, resolvePlain, skipSpaces, Unsupported, unsupported } from './fast-yaml-scalars.js';

/**
 * Reads the block-style YAML subset templates are written in, with the `yaml` package's YAML 1.1 scalar rules;
 * returns undefined for anything else (anchors, tags, multi-line scalars…) so the caller uses the full parser.
 * Why: the full parser costs ~5x more, which dominates parsing large templates.
 */
export function parseFastYaml(src: string): FastYaml | undefined {
  try {
    const reader = new FastReader(src);
    const value = reader.document();
    return { value, lines: reader.positions, spellings: reader.spellings, firstLine: reader.firstLine };
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/** Per map or list of the result: the 1-based line of each key or item. */
export type LinePositions = WeakMap<object, Map<string | number, number>>;

/** Per map or list: the spelling of each entry that was read as a number (`22.04`, `7.10`). */
export type NumberSpellings = WeakMap<object, Map<string | number, string>>;

export interface FastYaml {
  value: unknown;
  lines: LinePositions;
  spellings: NumberSpellings;
  /** Line of the first content line of the document. */
  firstLine: number;
}

interface Line {
  indent: number;
  /** The line without its indentation. */
  text: string;
  /** Blank or comment-only. */
  skip: boolean;
}

class FastReader {
  private readonly lines: Line[];
  /** Lines of the file; a final newline does not start another line. */
  private readonly lineCount: number;
  private readonly endsWithNewline: boolean;
  private pos = 0;
  readonly positions: LinePositions = new WeakMap();
  readonly spellings: NumberSpellings = new WeakMap();
  firstLine = 1;
  /** The text of the last plain scalar read on a line. */
  private lastPlain = '';

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
    const start = this.lines.findIndex((l) => !l.skip);
    const first = this.lines[start];
    if (first?.indent === 0 && first.text.startsWith('%')) unsupported();
    if (first?.indent === 0 && (first.text === '---' || first.text.startsWith('--- '))) {
      if (!isRestEmpty(first.text, 3)) unsupported();
      this.lines[start] = { ...first, skip: true };
    }
    if (!this.peek()) return null;
    this.firstLine = this.pos + 1;
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
    const at = new Map<string | number, number>();
    this.positions.set(out, at);
    for (let line = this.peek(); line && line.indent === indent && isSeqItem(line.text); line = this.peek()) {
      at.set(out.length, this.pos + 1);
      const offset = skipSpaces(line.text, 1);
      const content = line.text.slice(offset);
      if (content === '' || content[0] === '#') {
        this.pos++;
        out.push(this.childOrNull(indent));
      } else if (isSeqItem(content) || splitKey(content)) {
        this.lines[this.pos] = { indent: indent + offset, text: content, skip: false };
        out.push(this.node(indent + 1));
      } else {
        const value = this.value(content, indent);
        this.noteSpelling(out, out.length, value);
        out.push(value);
      }
    }
    const after = this.peek();
    if (after && after.indent > indent) unsupported();
    return out;
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const at = new Map<string | number, number>();
    this.positions.set(out, at);
    for (let line = this.peek(); line && line.indent === indent; line = this.peek()) {
      const kv = splitKey(line.text);
      if (!kv) unsupported();
      at.set(kv.key, this.pos + 1);
      let value: unknown;
      if (kv.rest === '' || kv.rest[0] === '#') {
        this.pos++;
        const next = this.peek();
        if (next && next.indent === indent && isSeqItem(next.text)) value = this.seq(indent);
        else value = this.childOrNull(indent);
      } else {
        value = this.value(kv.rest, indent);
        this.noteSpelling(out, kv.key, value);
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

  private noteSpelling(container: object, key: string | number, value: unknown): void {
    if (typeof value !== 'number') return;
    let at = this.spellings.get(container);
    if (!at) this.spellings.set(container, (at = new Map()));
    at.set(key, this.lastPlain);
  }

  private inlineValue(text: string, pos: number): unknown {
    const c = text[pos];
    if (c === '[' || c === '{' || c === '"' || c === "'") {
      const r = c === '[' || c === '{' ? new FlowReader(text, this.pos, this.positions, this.spellings).node(pos) : readQuoted(text, pos);
      if (!isRestEmpty(text, r.end)) unsupported();
      return r.value;
    }
    if ('&*!|>%@`?'.includes(c)) unsupported();
    let end = text.length;
    const hash = text.indexOf(' #', pos);
    if (hash >= 0) end = hash;
    const plain = text.slice(pos, end).trimEnd();
    if (plain.includes(': ') || plain.endsWith(':') || plain.includes('\t') || /^[-?:]( |$)/.test(plain)) unsupported();
    this.lastPlain = plain;
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
