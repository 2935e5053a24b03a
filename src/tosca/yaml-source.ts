import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { parseFastYaml, type FastYaml } from './fast-yaml.js';

export type YamlParseOutcome = { ok: true; source: YamlSource } | { ok: false; line?: number; message: string };

const OPTIONS = { version: '1.1', uniqueKeys: false } as const;

/** YAML 1.1 (yes/no are booleans) with duplicate keys allowed, last one wins, as SnakeYAML and PyYAML do. */
export function parseYaml(content: string): YamlParseOutcome {
  const fast = parseFastYaml(content);
  if (fast) return { ok: true, source: new YamlSource(content, fast.value, undefined, fast) };
  const full = parseFull(content);
  const first = full.doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    return { ok: false, line: pos?.line, message: first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') };
  }
  return { ok: true, source: new YamlSource(content, full.doc.toJS({ maxAliasCount: 1000 }), full) };
}

function parseFull(content: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(content, { ...OPTIONS, lineCounter }), lineCounter };
}

/**
 * A loaded document. Lines and number spellings come from the fast reader when it read the document, otherwise
 * from the full parser, run only when asked for.
 */
export class YamlSource {
  constructor(
    readonly content: string,
    readonly value: unknown,
    private full?: { doc: Document.Parsed; lineCounter: LineCounter },
    private readonly fast?: FastYaml,
  ) {}

  private parsed(): { doc: Document.Parsed; lineCounter: LineCounter } {
    this.full ??= parseFull(this.content);
    return this.full;
  }

  lineAt(path: ReadonlyArray<string | number>): number | undefined {
    if (this.fast) return fastLineAt(this.fast, this.value, path);
    const { doc, lineCounter } = this.parsed();
    const offset = nodeAt(doc, path, true)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  }

  /** The literal text of a scalar (e.g. `7.10`), so numbers read for string-like types keep their spelling. */
  scalarSourceAt(path: ReadonlyArray<string | number>): string | undefined {
    const spelled = this.fast ? fastSpellingAt(this.fast, this.value, path) : undefined;
    if (spelled !== undefined) return spelled;
    const node = nodeAt(this.parsed().doc, path);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }
}

/**
 * The YAML node at a path (the last occurrence of a repeated key), or the deepest existing ancestor. With
 * `keyLine`, a path ending in a map key gives the key, so a multi-line value is located where its key is.
 */
function nodeAt(doc: Document.Parsed, path: ReadonlyArray<string | number>, keyLine = false): Node | undefined {
  let node: unknown = doc.contents;
  for (const [i, seg] of path.entries()) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (String(key) === String(seg)) next = keyLine && i === path.length - 1 ? pair.key : (pair.value ?? pair.key);
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined) break;
    node = next;
  }
  return node as Node | undefined;
}

/** The line of the last path step found (a key's own line), or the document's first line. */
function fastLineAt(fast: FastYaml, root: unknown, path: ReadonlyArray<string | number>): number {
  let line = fast.firstLine;
  let node: unknown = root;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) break;
    const at = fast.lines.get(node)?.get(Array.isArray(node) ? seg : String(seg));
    if (at === undefined) break;
    line = at;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return line;
}

function fastSpellingAt(fast: FastYaml, root: unknown, path: ReadonlyArray<string | number>): string | undefined {
  if (!path.length) return undefined;
  let container: unknown = root;
  for (const seg of path.slice(0, -1)) {
    if (typeof container !== 'object' || container === null) return undefined;
    container = (container as Record<string | number, unknown>)[seg];
  }
  if (typeof container !== 'object' || container === null) return undefined;
  const last = path[path.length - 1];
  return fast.spellings.get(container)?.get(Array.isArray(container) ? last : String(last));
}
