import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseYaml, YamlSource } from '../../src/tosca/yaml-source.js';
import { SHARED_TOSCA_DIR, templateFilesOnDisk, readShared } from './tosca/fixtures.js';

const OPTIONS = { version: '1.1', uniqueKeys: false } as const;

/** What the `yaml` package alone gives, the reference every parse must match. */
function reference(src: string): { errors: number; value: unknown } {
  const doc = parseDocument(src, OPTIONS);
  return { errors: doc.errors.length, value: doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 1000 }) };
}

function loaded(src: string): YamlSource {
  const r = parseYaml(src);
  if (!r.ok) throw new Error(`rejected: ${r.message}`);
  return r.source;
}

/** Documents js-yaml reads; the value must be the one `yaml` gives, without running `yaml`. */
const READ_BY_JS_YAML: Record<string, string> = {
  'YAML 1.1 booleans and nulls':
    'a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: N\ng: True\nh: ~\ni: null\nj: NULL\nk:\nl: "yes"\nm: \'no\'\nn: yES\no: nULL\n',
  'integers in every base': 'a: 0b101\nb: 0755\nc: 0x1F\nd: -0x1F\ne: +0b1_0\nf: 00\ng: 08\nh: 1_000\ni: -0\nj: +7\nk: 012345\n',
  'floats and their special values': 'a: 16.04\nb: 1.\nc: .5\nd: -3.5\ne: 1e3\nf: 1.2e+3\ng: .inf\nh: -.Inf\ni: .NaN\nj: 1_000.000_1\nk: .\n',
  'base-60 numbers': 'a: 1:30\nb: -1:30:15.5\nc: 190:20:30\nd: 12:30:45 UTC\ne: 1:60\n',
  'strings that only look special': 'a: 2 GB\nb: 2048  MB\nc: 0.1.2\nd: v1.0\ne: 1e\nf: 0x\ng: 2015-12-25-backup\nh: <<x\ni: yes please\n',
  'keys that are numbers or booleans': 'y: 1\nyes: 2\n1: a\n1.50: b\n0x10: c\n.inf: d\ntrue: e\n',
  'duplicate keys, last one wins': 'a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n',
  'nested block collections': 'a:\n  b: 1\n  c:\n    - x\n    - w: 2\n      z: [1, 2]\na2:\n- 1\n- - 2\n  - 3\n',
  'flow sequences holding single-pair maps': "v: { concat: [ 'http://', get_attribute: [ srv, public_address, 0 ], ':5050' ] }\nw: [a, b: c, {d: e}, ]\n",
  'block scalars': 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  x\nc: |+\n  kept\n\n\nd: >\n  one\n  two\n\n  three\ne: >-\n  x\n  y\n',
  'quoted scalars and escapes': `a: 'it''s'\nb: "tab\\tq\\" \\u00e9 \\x41 \\/"\nc: ''\nd: "a # not a comment"\n'k k': 1\n`,
  'multi-line plain scalars': 'a: one\n  two\n   three\n\n  four\n',
  comments: '# head\na: 1 # trailing\nb: "x" # after quotes\nc: http://host/#anchor\nd: [1, 2] # flow\n',
  'a __proto__ key': '__proto__: 1\nb: 2\n',
  'CRLF line breaks': 'a: 1\r\nb: |\r\n  x\r\n  y\r\n',
  'an empty document': '# only a comment\n',
  'a document start marker': '---\na: 1\n',
};

/** Documents only `yaml` can be trusted with; js-yaml reads some of them differently or not at all. */
const READ_BY_YAML: Record<string, string> = {
  timestamps: 'a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\n',
  'merge keys': 'base: &b {a: 1}\nx:\n  <<: *b\n  c: 2\n',
  aliases: 'a: &x [1, 2]\nb: *x\n',
  'explicit tags': 'a: !!str 1\nb: ! 12\nc: !\n',
  'a YAML 1.2 directive': '%YAML 1.2\n---\na: yes\n',
  'null keys': '~: 1\nnull: 2\n',
  'collection keys': '[a, b]: c\n? {x: 1}\n: d\n',
  'multi-line quoted scalars with trailing blanks': "a: 'one  \n  two'\nb: \"x\t\n  y\"\n",
  'multi-line flow collections': 'a: [1,\n  2]\n',
};

/** Invalid YAML js-yaml would accept: `yaml` must still reject it. */
const INVALID: Record<string, string> = {
  'a comment touching a flow collection': '- [a, b]#c\n',
  'a comment touching a quoted scalar': "a: ''#c\n",
  'flow content indented less than its key': 'x:\n  a: [\n  b]\n',
  'an implicit key over 1024 characters': `${'k'.repeat(1100)}: 1\n`,
  'an unclosed flow sequence': 'a: [\n b',
};

describe('parseYaml reads YAML 1.1 exactly as the yaml package does', () => {
  it.each(Object.entries(READ_BY_JS_YAML))('%s, through js-yaml', (_name, src) => {
    const expected = reference(src);
    expect(expected.errors).toBe(0);
    const source = loaded(src);
    expect(source.value).toEqual(expected.value);
    expect(source.fullyParsed).toBe(false);
  });

  it.each(Object.entries(READ_BY_YAML))('%s, through yaml', (_name, src) => {
    const expected = reference(src);
    expect(expected.errors).toBe(0);
    const source = loaded(src);
    expect(source.value).toEqual(expected.value);
    expect(source.fullyParsed).toBe(true);
  });

  it.each(Object.entries(INVALID))('rejects %s with the line yaml reports', (_name, src) => {
    const doc = parseDocument(src, OPTIONS);
    expect(doc.errors.length).toBeGreaterThan(0);
    const r = parseYaml(src);
    expect(r).toMatchObject({ ok: false, line: doc.errors[0].linePos?.[0].line });
  });

  it('gives concrete values the engine relies on', () => {
    expect(loaded('required: no\nversion: 16.04\nsize: 2 GB\nport: 0x50\n').value).toEqual({
      required: false,
      version: 16.04,
      size: '2 GB',
      port: 80,
    });
    expect(loaded('').value).toBeNull();
  });

  it('refuses a document whose aliases expand without bound instead of throwing', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    expect(parseYaml(`${lines.join('\n')}\n`)).toEqual({ ok: false, message: expect.stringMatching(/alias/i) });
  });

  it('refuses many aliases to one large flat list, whose expansion dwarfs the text', () => {
    const lines = [`big: &b [${Array(2000).fill('x').join(', ')}]`, 'node:', '  properties:'];
    for (let i = 0; i < 200; i++) lines.push(`    p${i}: *b`);
    const outcome = parseYaml(`${lines.join('\n')}\n`);
    expect(outcome).toEqual({ ok: false, message: expect.stringMatching(/aliases expand the document past \d+ nodes/) });
  });

  it('still reads a few aliases to a shared list', () => {
    const lines = [`big: &b [${Array(2000).fill('x').join(', ')}]`, 'p0: *b', 'p1: *b'];
    const outcome = parseYaml(`${lines.join('\n')}\n`);
    expect(outcome.ok && (outcome.source.value as { p1: unknown[] }).p1).toHaveLength(2000);
  });

  it('refuses an alias inside the collection it names, whose value would contain itself', () => {
    expect(parseYaml('a: &x [1, *x]\n')).toEqual({ ok: false, message: 'an alias refers to a collection that contains it' });
    expect(loaded('a: &x [1]\nb: [*x, *x]\n').value).toEqual({ a: [1], b: [[1], [1]] });
  });

  it('reads every shared YAML file like yaml, nearly all of them through js-yaml', () => {
    const files = readdirSync(SHARED_TOSCA_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    let viaJsYaml = 0;
    for (const file of files) {
      const src = readFileSync(join(SHARED_TOSCA_DIR, file), 'utf8');
      const expected = reference(src);
      const r = parseYaml(src);
      expect(r.ok, file).toBe(expected.errors === 0);
      if (!r.ok) continue;
      expect(r.source.value, file).toEqual(expected.value);
      if (!r.source.fullyParsed) viaJsYaml++;
    }
    expect(files).toHaveLength(146);
    expect(viaJsYaml).toBe(145);
  });
});

describe('positions, from the full parse run on demand', () => {
  it('gives the line of a key, of a list item, or of the deepest part of a path that exists', () => {
    const source = loaded('# c\na:\n  b: 1\n  c:\n    - x\n    - |\n      y\n');
    expect(source.fullyParsed).toBe(false);
    expect(source.lineAt(['a', 'b'])).toBe(3);
    expect(source.lineAt(['a', 'c', 1])).toBe(6);
    expect(source.lineAt(['a', 'c'])).toBe(4);
    expect(source.lineAt(['a', 'nope', 'deeper'])).toBe(3);
    expect(source.lineAt(['nope'])).toBe(2);
    expect(source.fullyParsed).toBe(true);
  });

  it('gives the line of the last occurrence of a repeated key', () => {
    expect(loaded('a: 1\nb: 2\na: 3\n').lineAt(['a'])).toBe(3);
  });

  it('spells a number as written without the full parse, unless the document spells it two ways', () => {
    const once = loaded('v: { default: 7.10, valid_values: [ 7.10, 22.04 ] }\n');
    expect(once.scalarSourceAt(['v', 'default'])).toBe('7.10');
    expect(once.scalarSourceAt(['v', 'valid_values', 1])).toBe('22.04');
    expect(once.fullyParsed).toBe(false);

    const twice = loaded('a: 7.10\nb: 7.1\n');
    expect(twice.scalarSourceAt(['a'])).toBe('7.10');
    expect(twice.scalarSourceAt(['b'])).toBe('7.1');
    expect(twice.fullyParsed).toBe(true);
  });

  it('spells every number of every shared template as the yaml parser saw it', () => {
    let compared = 0;
    for (const file of templateFilesOnDisk()) {
      const src = readShared(file);
      const r = parseYaml(src);
      if (!r.ok) continue;
      const viaYaml = new YamlSource(src, r.source.value);
      const walk = (value: unknown, path: Array<string | number>): void => {
        if (typeof value === 'number') {
          expect(r.source.scalarSourceAt(path), `${file} ${path.join('.')}`).toBe(viaYaml.scalarSourceAt(path));
          compared++;
        }
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      };
      walk(r.source.value, []);
    }
    expect(compared).toBeGreaterThan(500);
  });
});
