import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { parseFastYaml } from './fast-yaml.js';

export type YamlParseOutcome = { ok: true; source: YamlSource } | { ok: false; line?: number; message: string };

const OPTIONS = { version: '1.1', uniqueKeys: false } as const;

/** YAML 1.1 (yes/no are booleans) with duplicate keys allowed, last one wins, as SnakeYAML and PyYAML do. */
export function parseYaml(content: string): YamlParseOutcome {
  const fast = parseFastYaml(content);
  if (fast) return { ok: true, source: new YamlSource(content, fast.value) };
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

/** A loaded document; positions come from the full parser, run only when a line or a literal is asked for. */
export class YamlSource {
  constructor(
    readonly content: string,
    readonly value: unknown,
    private full?: { doc: Document.Parsed; lineCounter: LineCounter },
  ) {}

  private parsed(): { doc: Document.Parsed; lineCounter: LineCounter } {
    this.full ??= parseFull(this.content);
    return this.full;
  }

  lineAt(path: ReadonlyArray<string | number>): number | undefined {
    const { doc, lineCounter } = this.parsed();
    const offset = nodeAt(doc, path)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  }

  /** The literal text of a scalar (e.g. `7.10`), so numbers read for string-like types keep their spelling. */
  scalarSourceAt(path: ReadonlyArray<string | number>): string | undefined {
    const node = nodeAt(this.parsed().doc, path);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }
}

/** The YAML node at a path (the last occurrence of a repeated key), or the deepest existing ancestor. */
function nodeAt(doc: Document.Parsed, path: ReadonlyArray<string | number>): Node | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (String(key) === String(seg)) next = pair.value ?? pair.key;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined) break;
    node = next;
  }
  return node as Node | undefined;
}
