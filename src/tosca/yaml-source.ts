import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { quickLoad, type NumberSpellings } from './yaml-quick-load.js';

export type YamlParseOutcome = { ok: true; source: YamlSource } | { ok: false; line?: number; message: string };

const OPTIONS = { version: '1.1', uniqueKeys: false } as const;

interface FullParse {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * YAML 1.1 (yes/no are booleans) with duplicate keys allowed, last one wins, as SnakeYAML and PyYAML do. js-yaml
 * reads the value; npm `yaml` reads what js-yaml cannot be trusted with and reports syntax errors.
 */
export function parseYaml(content: string): YamlParseOutcome {
  const quick = quickLoad(content);
  if (quick) {
    const problem = expansionProblem(quick.value, content.length);
    if (problem) return { ok: false, message: problem };
    return { ok: true, source: new YamlSource(content, quick.value, undefined, quick.numberSpellings) };
  }
  const full = parseFull(content);
  const first = full.doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    return { ok: false, line: pos?.line, message: first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') };
  }
  let value: unknown;
  try {
    value = full.doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // `yaml` refuses alias expansions past maxAliasCount (a "billion laughs" document), and merge keys (`<<`) of
    // anything but maps, only while building the value: both are faults of the document.
    if (err instanceof Error) return { ok: false, message: err.message };
    throw err;
  }
  const problem = expansionProblem(value, content.length);
  if (problem) return { ok: false, message: problem };
  return { ok: true, source: new YamlSource(content, value, full) };
}

const MIN_EXPANDED_NODES = 200_000;
const EXPANDED_NODES_PER_CHAR = 20;

class CyclicAlias extends Error {}

/**
 * Why a loaded value is unsafe to walk: a collection reachable from itself (`a: &x [*x]`), or aliases that
 * expand it past a node budget proportional to the text (many aliases to one big list).
 */
function expansionProblem(root: unknown, contentLength: number): string | undefined {
  const cap = Math.max(MIN_EXPANDED_NODES, EXPANDED_NODES_PER_CHAR * contentLength);
  const open = new Set<object>();
  const sizes = new Map<object, number>();
  // Shared subtrees are measured once; each use still counts its full size, so a sum past the cap stops early.
  const measure = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) throw new CyclicAlias();
    open.add(node);
    let size = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      size += measure(child);
      if (size > cap) break;
    }
    open.delete(node);
    sizes.set(node, size);
    return size;
  };
  try {
    if (measure(root) > cap) return `aliases expand the document past ${cap} nodes`;
  } catch (err) {
    if (err instanceof CyclicAlias) return 'an alias refers to a collection that contains it';
    throw err;
  }
  return undefined;
}

function parseFull(content: string): FullParse {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(content, { ...OPTIONS, lineCounter }), lineCounter };
}

/**
 * A loaded document. Line numbers come from a full `yaml` parse, run on first use only, so a template without
 * issues never pays for it; number spellings come from js-yaml unless a number is spelled two ways.
 */
export class YamlSource {
  constructor(
    readonly content: string,
    readonly value: unknown,
    private full?: FullParse,
    private readonly numberSpellings?: NumberSpellings,
  ) {}

  /** Whether the full `yaml` parse has run for this document. */
  get fullyParsed(): boolean {
    return this.full !== undefined;
  }

  private parsed(): FullParse {
    this.full ??= parseFull(this.content);
    return this.full;
  }

  lineAt(path: ReadonlyArray<string | number>): number | undefined {
    const { doc, lineCounter } = this.parsed();
    const offset = nodeAt(doc, path, true)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  }

  /** The literal text of a scalar (e.g. `7.10`), so numbers read for string-like types keep their spelling. */
  scalarSourceAt(path: ReadonlyArray<string | number>): string | undefined {
    const value = valueAt(this.value, path);
    const spelled = typeof value === 'number' ? this.numberSpellings?.get(value) : undefined;
    if (spelled) return spelled;
    const node = nodeAt(this.parsed().doc, path);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = root;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
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
