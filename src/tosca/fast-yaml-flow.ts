import type { LinePositions, NumberSpellings } from './fast-yaml.js';
import { keyOf, readQuoted, resolvePlain, skipSpaces, unsupported } from './fast-yaml-scalars.js';

const FLOW_STOP = new Set([',', '[', ']', '{', '}']);

/** A flow collection (`[a, b: c]`, `{k: v}`) that opens and closes on one line. */
export class FlowReader {
  constructor(
    private readonly text: string,
    private readonly line: number,
    private readonly positions: LinePositions,
    private readonly spellings: NumberSpellings,
  ) {}

  private spell(container: object, key: string | number, node: { value: unknown; raw?: string }): void {
    if (typeof node.value !== 'number' || node.raw === undefined) return;
    let at = this.spellings.get(container);
    if (!at) this.spellings.set(container, (at = new Map()));
    at.set(key, node.raw);
  }

  private track<T extends object>(container: T): Map<string | number, number> {
    const at = new Map<string | number, number>();
    this.positions.set(container, at);
    return at;
  }

  node(pos: number): { value: unknown; end: number; raw?: string } {
    const p = skipSpaces(this.text, pos);
    const c = this.text[p];
    if (c === '[') return this.seq(p + 1);
    if (c === '{') return this.map(p + 1);
    if (c === '"' || c === "'") return readQuoted(this.text, p);
    if (c === undefined || '&*!|>%@`#,]}'.includes(c)) unsupported();
    return this.plain(p);
  }

  private plain(pos: number): { value: unknown; end: number; raw: string } {
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
    return { value: resolvePlain(raw), end: i, raw };
  }

  /** After a key: `: value`, or nothing (null). */
  private pairValue(pos: number, close: string): { value: unknown; end: number; hasColon: boolean; raw?: string } {
    let p = skipSpaces(this.text, pos);
    if (this.text[p] !== ':') return { value: null, end: p, hasColon: false };
    p = skipSpaces(this.text, p + 1);
    const next = this.text[p];
    if (next === ',' || next === close) return { value: null, end: p, hasColon: true };
    const v = this.node(p);
    return { value: v.value, end: v.end, hasColon: true, raw: v.raw };
  }

  private seq(pos: number): { value: unknown; end: number } {
    const out: unknown[] = [];
    const at = this.track(out);
    let p = skipSpaces(this.text, pos);
    if (this.text[p] === ']') return { value: out, end: p + 1 };
    for (;;) {
      const item = this.node(p);
      const pair = this.pairValue(item.end, ']');
      at.set(out.length, this.line);
      if (pair.hasColon) {
        if (item.value !== null && typeof item.value === 'object') unsupported();
        const key = keyOf(item.value);
        const single = { [key]: pair.value };
        this.track(single).set(key, this.line);
        this.spell(single, key, pair);
        out.push(single);
      } else {
        this.spell(out, out.length, item);
        out.push(item.value);
      }
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
    const at = this.track(out);
    let p = skipSpaces(this.text, pos);
    if (this.text[p] === '}') return { value: out, end: p + 1 };
    for (;;) {
      const key = this.node(p);
      if (key.value !== null && typeof key.value === 'object') unsupported();
      const pair = this.pairValue(key.end, '}');
      const name = keyOf(key.value);
      out[name] = pair.value;
      this.spell(out, name, pair);
      at.set(name, this.line);
      p = skipSpaces(this.text, pair.end);
      const c = this.text[p];
      if (c === '}') return { value: out, end: p + 1 };
      if (c !== ',') unsupported();
      p = skipSpaces(this.text, p + 1);
      if (this.text[p] === '}') return { value: out, end: p + 1 };
    }
  }
}
