import { load, Schema, Type, type State } from 'js-yaml';
import { resolvePlainScalar } from './yaml-1-1-scalars.js';

/** Per number of a document: how it is spelled there (`7.10`), or null when it is spelled more than one way. */
export type NumberSpellings = Map<number, string | null>;

export interface QuickLoad {
  value: unknown;
  numberSpellings: NumberSpellings;
}

/**
 * Syntax js-yaml reads differently from `yaml`, or accepts where `yaml` reports an error. Each pattern is looser
 * than what it guards: a false match only costs the slower parser.
 */
const NEEDS_FULL_PARSER: ReadonlyArray<RegExp> = [
  // Directives: `%YAML 1.2` switches `yaml` to the 1.2 schema.
  /^%/m,
  // Tags, the non-specific `!` included.
  /(?:^|[\s[{,:])!/,
  // Keys that are collections, explicit (`? key`), null or missing: `yaml` and js-yaml make different strings of them.
  /[\]}][ \t]*:/,
  /(?:^|[\s[{,])\?(?:\s|$)/,
  /(?:~|null|Null|NULL)[ \t]*:/,
  /^[ \t]*(?:-[ \t]+)*:(?:\s|$)/,
  /\n[ \t]*(?:-[ \t]+)*:(?:\s|$)/,
  /[[{,][ \t]*:/,
  // A comment touching a flow collection or a quoted scalar, which `yaml` rejects.
  /[\]}"']#/,
];

/** An alias needs an anchor; `yaml` bounds how far aliases expand, js-yaml does not. */
const ANCHOR = /(?:^|[\s[{,:])&[^\s,[\]{}]/;
const ALIAS = /(?:^|[\s[{,:])\*[^\s,[\]{}]/;

/** `yaml` rejects implicit keys longer than this; js-yaml does not. */
const MAX_IMPLICIT_KEY = 1024;

// No document can write a tag containing a space, so this type is reachable only by implicit resolution.
const IMPLICIT_TAG = 'yaml 1.1 plain scalar';

/**
 * Loads a document with js-yaml under the YAML 1.1 rules of npm `yaml` (`version: '1.1'`, `uniqueKeys: false`),
 * or returns undefined when only `yaml` can be trusted with it (syntax js-yaml rejects included).
 */
export function quickLoad(content: string): QuickLoad | undefined {
  if (needsFullParser(content)) return undefined;
  const numberSpellings: NumberSpellings = new Map();
  let resolved: unknown;
  const plainScalar = new Type(IMPLICIT_TAG, {
    kind: 'scalar',
    resolve: (data: string) => {
      const r = resolvePlainScalar(data);
      if (!r) return false;
      resolved = r.value;
      return true;
    },
    construct: (data: string) => {
      if (typeof resolved === 'number') noteSpelling(numberSpellings, resolved, data);
      return resolved;
    },
  });
  const lines = new MultiLineFlowDetector();
  try {
    const value = load(content, {
      schema: new Schema({ implicit: [plainScalar] }),
      json: true,
      listener: (event, state) => lines.on(event, state),
    });
    if (lines.found) return undefined;
    return { value: value === undefined ? null : value, numberSpellings };
  } catch {
    return undefined;
  }
}

function needsFullParser(content: string): boolean {
  if (NEEDS_FULL_PARSER.some((re) => re.test(content))) return true;
  if (ANCHOR.test(content) && ALIAS.test(content)) return true;
  return hasLineLongerThan(content, MAX_IMPLICIT_KEY);
}

function hasLineLongerThan(content: string, max: number): boolean {
  let start = 0;
  for (;;) {
    const nl = content.indexOf('\n', start);
    const end = nl < 0 ? content.length : nl;
    if (end - start > max) return true;
    if (nl < 0) return false;
    start = nl + 1;
  }
}

function noteSpelling(spellings: NumberSpellings, value: number, spelling: string): void {
  const known = spellings.get(value);
  if (known === undefined) spellings.set(value, spelling);
  else if (known !== spelling) spellings.set(value, null);
}

const OPENERS = new Set([0x5b, 0x7b, 0x22, 0x27]); // [ { " '
const CLOSERS = new Set([0x5d, 0x7d, 0x22, 0x27]); // ] } " '

/**
 * Notices a flow collection or quoted scalar spanning lines. js-yaml keeps trailing spaces at their line breaks
 * and does not check the indentation of their continuation lines; templates hardly ever write them.
 */
class MultiLineFlowDetector {
  private readonly starts: number[] = [];
  found = false;

  on(event: 'open' | 'close', state: State): void {
    if (event === 'open') {
      this.starts.push(state.position);
      return;
    }
    const from = this.starts.pop() ?? 0;
    const input = state.input;
    const end = state.position;
    if (this.found || !CLOSERS.has(input.charCodeAt(end - 1))) return;
    const start = skipSpaceAndComments(input, from);
    if (OPENERS.has(input.charCodeAt(start)) && hasLineBreak(input, start, end)) this.found = true;
  }
}

function hasLineBreak(input: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = input.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/** From where js-yaml starts looking for a node to where the node begins: blanks, line breaks and comments. */
function skipSpaceAndComments(input: string, pos: number): number {
  let p = pos;
  for (;;) {
    const c = input[p];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') p++;
    else if (c === '#') {
      const nl = input.indexOf('\n', p);
      if (nl < 0) return input.length;
      p = nl;
    } else return p;
  }
}
