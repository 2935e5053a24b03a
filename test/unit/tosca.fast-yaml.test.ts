import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseFastYaml } from '../../src/tosca/fast-yaml.js';
import { SHARED_TOSCA_DIR } from './tosca/fixtures.js';

function full(src: string): { errors: number; value: unknown } {
  const doc = parseDocument(src, { version: '1.1', uniqueKeys: false });
  return { errors: doc.errors.length, value: doc.toJS() };
}

/** Snippets the fast reader must read exactly like the full parser. */
const FAST: Record<string, string> = {
  'nested maps and lists': 'a:\n  b: 1\n  c:\n    - x\n    - w: 2\n      z: [1, 2]\n  d: {e: f, g: [h, {i: j}]}\n',
  'lists at the parent key indentation': 'a:\n- 1\n- 2\nb: 3\n',
  'lists of lists': '- - a\n  - b\n- - c\n',
  'YAML 1.1 scalars': 'a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: ~\ng: null\nh:\ni: 1_000\nj: 08\nk: -3.5\nl: 1e3\nm: .inf\nmm: -.Inf\no: 16.04\np: 2 GB\nq: 0\nr: +7\n',
  'quoted scalars': `a: 'it''s'\nb: "tab\\tquote\\" slash\\\\ \\u00e9 \\x41"\nc: ''\nd: "# not a comment"\n'quoted key': 1\n"other": 2\n`,
  comments: '# head\na: 1 # trailing\nb: "x" # after quotes\nc: http://host/#anchor\n\n  # indented comment\nd: [1, 2] # flow\n',
  'flow sequences with single-pair maps': "v: { concat: [ 'http://', get_attribute: [ srv, public_address, 0 ], ':5050' ] }\nw: [a, b: c, {d: e}, ]\n",
  'literal block scalars': 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  stripped\nc: |+\n  kept\n\n\nd: end\n',
  'folded block scalars': 'a: >\n  one\n  two\n\n  three\nb: >-\n  x\n  y\nc: 1\n',
  'block scalar in a list': '- |\n  text\n- >\n  more\n  text\n',
  'duplicate keys, last wins': 'a: 1\nb: 2\na: 3\n',
  'document start': '---\na: 1\n',
  'empty document': '# only a comment\n',
  'colons inside values': 'url: http://example.org:8080/x\ntime: 12:30:45 UTC\nk: a:b\n',
};

/** Snippets outside the subset: the fast reader must hand them over to the full parser. */
const FULL_ONLY: Record<string, string> = {
  anchors: 'a: &x 1\nb: *x\n',
  tags: 'a: !!str 1\n',
  'multi-line plain scalar': 'a: one\n  two\n',
  'multi-line flow': 'a: [1,\n  2]\n',
  'multi-line quoted': 'a: "one\n  two"\n',
  timestamps: 'a: 2001-12-14\n',
  sexagesimal: 'a: 1:20\n',
  octal: 'a: 0755\n',
  'boolean key': 'y: 1\n',
  'merge key': 'base: {a: 1}\nx:\n  <<: {b: 2}\n',
  'block scalar with explicit indentation': 'a: |2\n   x\n',
  'block scalar at end of file without newline': 'a: |\n  x',
  'complex key': '? a\n: b\n',
  'invalid yaml': 'a: [\n b',
  'tabs in indentation': 'a:\n\tb: 1\n',
  'mapping value on a plain scalar line': 'a: b: c\n',
};

describe('the fast YAML reader', () => {
  it.each(Object.entries(FAST))('reads %s like the full parser', (_name, src) => {
    const fast = parseFastYaml(src);
    expect(fast).toBeDefined();
    const expected = full(src);
    expect(expected.errors).toBe(0);
    expect(fast?.value).toEqual(expected.value);
  });

  it.each(Object.entries(FULL_ONLY))('leaves %s to the full parser', (_name, src) => {
    expect(parseFastYaml(src)).toBeUndefined();
  });

  it('reads every shared YAML file it accepts exactly like the full parser, and accepts nearly all of them', () => {
    const files = readdirSync(SHARED_TOSCA_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    let fastCount = 0;
    for (const file of files) {
      const src = readFileSync(join(SHARED_TOSCA_DIR, file), 'utf8');
      const fast = parseFastYaml(src);
      if (!fast) continue;
      fastCount++;
      const expected = full(src);
      expect(expected.errors, file).toBe(0);
      expect(fast.value, file).toEqual(expected.value);
    }
    expect(files).toHaveLength(146);
    expect(fastCount).toBeGreaterThanOrEqual(140);
  });
});

describe('line numbers from the fast reader', () => {
  it('match the full parser for every key and item of every shared template', async () => {
    const { YamlSource } = await import('../../src/tosca/yaml-source.js');
    const { templateFilesOnDisk, readShared } = await import('./tosca/fixtures.js');
    let compared = 0;
    for (const file of templateFilesOnDisk()) {
      const src = readShared(file);
      const fast = parseFastYaml(src);
      if (!fast) continue;
      const viaFast = new YamlSource(src, fast.value, undefined, fast);
      const viaFull = new YamlSource(src, fast.value);
      const walk = (value: unknown, path: Array<string | number>): void => {
        if (path.length) {
          expect(viaFast.lineAt(path), `${file} ${path.join('.')}`).toBe(viaFull.lineAt(path));
          compared++;
        }
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      };
      walk(fast.value, []);
      expect(viaFast.lineAt(['no', 'such', 'path'])).toBe(viaFull.lineAt(['no', 'such', 'path']));
    }
    expect(compared).toBeGreaterThan(10_000);
  });
});

describe('number spellings from the fast reader', () => {
  it('match the source text the full parser keeps, for every number of every shared template', async () => {
    const { YamlSource } = await import('../../src/tosca/yaml-source.js');
    const { templateFilesOnDisk, readShared } = await import('./tosca/fixtures.js');
    let compared = 0;
    for (const file of [...templateFilesOnDisk().map((f) => readShared(f)), 'a: { v: 7.10, w: [ 1.50, x: 2.0 ] }\nb:\n  - 16.04\n']) {
      const fast = parseFastYaml(file);
      if (!fast) continue;
      const viaFast = new YamlSource(file, fast.value, undefined, fast);
      const viaFull = new YamlSource(file, fast.value);
      const walk = (value: unknown, path: Array<string | number>): void => {
        if (typeof value === 'number') {
          expect(viaFast.scalarSourceAt(path), path.join('.')).toBe(viaFull.scalarSourceAt(path));
          compared++;
        }
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      };
      walk(fast.value, []);
    }
    expect(compared).toBeGreaterThan(500);
  });
});
