import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  createToscaEngine,
  deriveResources,
  evaluateOutputs,
  evaluateValue,
  renderForIm,
  validateInputs,
  type ParsedTemplate,
} from '../../src/tosca/index.js';
import { checkDependencyLoops } from '../../src/tosca/check-topology.js';
import { IssueCollector } from '../../src/tosca/issues.js';
import { builtinEngine, parseInline } from './tosca/fixtures.js';

function topology(topologyTemplate: Record<string, unknown>): string {
  return stringify({ tosca_definitions_version: 'tosca_simple_yaml_1_0', topology_template: topologyTemplate });
}

async function withInputs(inputs: Record<string, unknown>): Promise<ParsedTemplate> {
  return parseInline(topology({ inputs, node_templates: { vm: { type: 'tosca.nodes.Compute' } } }));
}

async function errorsOf(yaml: string): Promise<Array<[string, string]>> {
  const result = await builtinEngine().parse(yaml);
  if (result.ok) throw new Error('the template was accepted');
  return result.errors.map((e) => [e.path, e.message]);
}

describe('pattern constraints that could backtrack exponentially', () => {
  it.each(['(a|a)*', '(a+)+', '([a-z]+\\.)*x', '(?:ab|a){2,}'])('refuses %s when the template is parsed', async (pattern) => {
    const yaml = topology({
      inputs: { name: { type: 'string', constraints: [{ pattern }] } },
      node_templates: { vm: { type: 'tosca.nodes.Compute' } },
    });
    expect(await errorsOf(yaml)).toEqual([
      [
        'topology_template.inputs.name.constraints[0].pattern',
        `pattern ${JSON.stringify(pattern)} is refused: it repeats a group that holds a quantifier or an alternation, which can take exponential time`,
      ],
    ]);
  });

  it('keeps accepting ordinary patterns, including optional groups and character classes', async () => {
    const t = await withInputs({ name: { type: 'string', constraints: [{ pattern: '[a-z(|)]+-(\\d+)?(x|y)' }] } });
    expect(validateInputs(t, { name: 'a|b-12y' })).toMatchObject({ ok: true });
  });

  it('rejects values longer than 1 KB for a patterned input without testing them', async () => {
    const t = await withInputs({ name: { type: 'string', constraints: [{ pattern: 'a*' }] } });
    expect(validateInputs(t, { name: 'a'.repeat(1024) })).toMatchObject({ ok: true });
    expect(validateInputs(t, { name: 'a'.repeat(1025) })).toEqual({
      ok: false,
      errors: [{ path: 'inputs.name', message: expect.stringContaining('must be at most 1024 characters long to be checked against a pattern') }],
    });
  });
});

describe('property evaluation that would explode', () => {
  it('evaluates a property reused along a long doubling chain once', async () => {
    const properties: Record<string, unknown> = { p40: 'x' };
    for (let i = 0; i < 40; i++) {
      properties[`p${i}`] = { concat: [{ get_property: ['SELF', `p${i + 1}`] }, { get_property: ['SELF', `p${i + 1}`] }] };
    }
    properties.p40 = '';
    const t = await parseInline(
      topology({
        node_templates: { app: { type: 'tosca.nodes.Root', properties } },
        outputs: { out: { value: { get_property: ['app', 'p0'] } } },
      }),
    );
    expect(evaluateOutputs(t, {}, {})).toEqual({ out: '' });
  });

  it('turns a get_property chain longer than 64 into an output error, not a crash', async () => {
    const nodes: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) nodes[`n${i}`] = { type: 'tosca.nodes.Root', properties: { p: i === 99 ? 'end' : { get_property: [`n${i + 1}`, 'p'] } } };
    const t = await parseInline(topology({ node_templates: nodes, outputs: { deep: { value: { get_property: ['n0', 'p'] } } } }));
    expect(evaluateOutputs(t, {}, {}).deep).toMatch(/^Failed to evaluate outputs\[deep\]: get_property chain longer than 64/);
  });

  it('turns an output nested thousands of levels deep into an output error', async () => {
    const t = await parseInline(topology({ node_templates: { vm: { type: 'tosca.nodes.Compute' } }, outputs: { ok: { value: 1 } } }));
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const outputs = { ...t.outputs, deep: { value: deep } };
    const out = evaluateOutputs({ ...t, outputs } as ParsedTemplate, {}, {});
    expect(out.ok).toBe(1);
    expect(out.deep).toMatch(/^Failed to evaluate outputs\[deep\]: /);
  });
});

describe('names that are also Object.prototype members', () => {
  it('treats a requirement on "constructor" as a missing node and an undeclared "toString" input as unknown', async () => {
    const t = await parseInline(topology({ node_templates: { vm: { type: 'tosca.nodes.Compute' } } }));
    const vm = { ...t.nodeTemplates.vm, requirements: [{ name: 'dependency', node: 'constructor' }] };
    const hostile = { ...t, nodeTemplates: { vm } } as ParsedTemplate;
    const issues = new IssueCollector();
    checkDependencyLoops(hostile.nodeTemplates, ['node_templates'], issues);
    expect(issues.errors).toEqual([]);
    expect(deriveResources(hostile)[0].requires).toEqual([]);
    expect(validateInputs(t, { toString: 'x' })).toEqual({
      ok: false,
      errors: [{ path: 'inputs.toString', message: 'Input <toString> is not declared by the template' }],
    });
  });

  it('validates and renders an input named "hasOwnProperty" that the user left out', async () => {
    const t = await parseInline(
      topology({
        inputs: { hasOwnProperty: { type: 'string', required: false }, constructor: { type: 'string', default: 'd' } },
        node_templates: { vm: { type: 'tosca.nodes.Compute', properties: { a: { get_input: 'hasOwnProperty' }, b: { get_input: 'constructor' } } } },
      }),
    );
    const checked = validateInputs(t, {});
    expect(checked).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'inputs.hasOwnProperty' })] });
    const rendered = renderForIm(t, {});
    expect(rendered).toContain('get_input: hasOwnProperty');
    expect(rendered).toContain('b: d');
  });

  it('gives an unknown get_input an evaluation error, not a prototype function', async () => {
    const t = await parseInline(topology({ node_templates: { vm: { type: 'tosca.nodes.Compute' } } }));
    const ctx = { template: t, values: {}, attributes: {} };
    expect(() => evaluateValue({ get_input: 'valueOf' }, ctx)).toThrow(/No input provided for <valueOf>/);
    expect(evaluateValue({ get_input: ['x', 'constructor'] }, { ...ctx, values: { x: { a: 1 } } })).toBeUndefined();
  });
});

describe('import URLs that cannot be decoded or resolved', () => {
  it('reports a malformed % escape in a ref as an unresolvable import', async () => {
    const url = 'https://raw.githubusercontent.com/indigo-dc/tosca-types/%E0%A4%A/custom_types.yaml';
    const yaml = `tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  - custom: ${url}\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.Compute\n`;
    expect(await errorsOf(yaml)).toEqual([['imports[0].custom', expect.stringMatching(/^cannot resolve import .*%E0%A4%A/)]]);
  });

  it('reports a relative import that is not a URL under a remote importer as unresolvable', async () => {
    const remote = 'https://types.example/base.yaml';
    const engine = createToscaEngine({
      fetchImport: async (url) => {
        if (url === remote) return 'tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  - "//[bad/types.yaml"\n';
        throw new Error(`unexpected fetch ${url}`);
      },
    });
    const yaml = `tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  - base: ${remote}\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.Compute\n`;
    const result = await engine.parse(yaml);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.message).join('\n')).toMatch(/cannot resolve import \/\/\[bad\/types\.yaml/);
  });
});

describe('input values of hostile shape or size', () => {
  it('refuses a map input nested deeper than 64 levels instead of crashing the renderer', async () => {
    const t = await withInputs({ m: { type: 'map', required: false } });
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = { k: deep };
    expect(validateInputs(t, { m: deep })).toEqual({
      ok: false,
      errors: [{ path: 'inputs.m', message: 'Input <m> is invalid: the value is nested more than 64 levels deep' }],
    });
    let fine: unknown = 'x';
    for (let i = 0; i < 60; i++) fine = { k: fine };
    expect(validateInputs(t, { m: fine })).toMatchObject({ ok: true });
  });

  it('refuses a list input with more than 10^5 entries', async () => {
    const t = await withInputs({ l: { type: 'list', required: false } });
    expect(validateInputs(t, { l: Array(100_001).fill(0) })).toEqual({
      ok: false,
      errors: [{ path: 'inputs.l', message: 'Input <l> is invalid: the value holds more than 100000 entries' }],
    });
  });

  it('refuses negative and infinite sizes', async () => {
    const t = await withInputs({ mem: { type: 'scalar-unit.size', required: false } });
    expect(validateInputs(t, { mem: '2 GB' })).toMatchObject({ ok: true });
    for (const mem of ['-2 GB', '1e400 GB', '1e300 TB']) {
      expect(validateInputs(t, { mem })).toMatchObject({ ok: false, errors: [{ path: 'inputs.mem' }] });
    }
  });

  it('refuses integers that a number cannot hold exactly', async () => {
    const t = await withInputs({ count: { type: 'integer', required: false } });
    expect(validateInputs(t, { count: 2 ** 53 - 1 })).toMatchObject({ ok: true });
    expect(validateInputs(t, { count: 2 ** 53 + 2 })).toMatchObject({ ok: false, errors: [{ path: 'inputs.count' }] });
    expect(validateInputs(t, { count: '9007199254740993' })).toMatchObject({ ok: false, errors: [{ path: 'inputs.count' }] });
  });

  it('does not count the characters of a string given for a list against its length constraints', async () => {
    const t = await withInputs({ l: { type: 'list', required: false, constraints: [{ max_length: 2 }] } });
    expect(validateInputs(t, { l: '[1, 2]' })).toEqual({ ok: true, values: { l: '[1, 2]' } });
    expect(validateInputs(t, { l: [1, 2, 3] })).toMatchObject({ ok: false });
  });
});
