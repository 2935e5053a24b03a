import { describe, expect, it, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { deriveResources } from '../../src/tosca/index.js';
import { builtinEngine, HEADER } from './tosca/fixtures.js';

vi.mock('yaml', async (importOriginal) => {
  const actual = await importOriginal<typeof import('yaml')>();
  return { ...actual, parseDocument: vi.fn(actual.parseDocument) };
});

const fullParses = () => vi.mocked(parseDocument).mock.calls.length;

/** Valid, warning-free, and with a version input whose default keeps its spelling (`22.04`). */
const CLEAN = `${HEADER}topology_template:
  inputs:
    os_version: { type: version, default: 22.04, constraints: [ { valid_values: [ 20.04, 22.04 ] } ] }
    num_cpus: { type: integer, default: 2 }
  node_templates:
    app:
      type: tosca.nodes.indigo.Ambertools
      requirements:
        - host: vm
    vm:
      type: tosca.nodes.indigo.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: num_cpus }
        os:
          properties:
            distribution: ubuntu
            version: { get_input: os_version }
  outputs:
    ip: { value: { get_attribute: [ vm, public_address, 0 ] } }
`;

describe('the full yaml parser stays off the hot path', () => {
  it('is not run for a valid template without issues', async () => {
    const engine = builtinEngine();
    await engine.parse(CLEAN);
    const before = fullParses();
    const r = await engine.parse(CLEAN);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.template.inputs.os_version.default).toBe('22.04');
    expect(r.warnings).toEqual([]);
    expect(deriveResources(r.template).map((res) => res.name)).toEqual(['app', 'vm']);
    expect(fullParses()).toBe(before);
  });

  it('runs once, when the warnings of a template are read, to give their lines', async () => {
    const withWarning = CLEAN.replace('topology_template:', 'owner: someone\ntopology_template:');
    const r = await builtinEngine().parse(withWarning);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const before = fullParses();
    expect(r.template.nodeTemplates.vm.type).toBe('tosca.nodes.indigo.Compute');
    expect(fullParses()).toBe(before);
    expect(r.warnings).toEqual([{ path: 'owner', line: 4, message: 'unexpected top-level key owner' }]);
    expect(r.warnings).toEqual([{ path: 'owner', line: 4, message: 'unexpected top-level key owner' }]);
    expect(fullParses()).toBe(before + 1);
  });

  it('runs for an invalid template, whose errors need lines', async () => {
    const before = fullParses();
    const r = await builtinEngine().parse(CLEAN.replace('type: tosca.nodes.indigo.Compute', 'type: tosca.nodes.indigo.Comput'));
    expect(r).toMatchObject({ ok: false, errors: [{ path: 'topology_template.node_templates.vm.type', line: 14 }] });
    expect(fullParses()).toBe(before + 1);
  });
});
