import { describe, expect, it } from 'vitest';
import { parse as parseYamlText } from 'yaml';
import {
  createToscaEngine,
  deriveResources,
  inputsForForm,
  renderForIm,
  slaPlacements,
  validateInputs,
  type ParseResult,
  type ParsedTemplate,
  type ToscaEngine,
  type ToscaIssue,
} from '../../src/tosca/index.js';
import { builtinEngine } from './tosca/fixtures.js';

/**
 * Production catalogues write some lists as a map or a lone value. Each such template is read exactly like
 * its grammar-conforming twin (same resources, inputs form, input validation and IM rendering), with a
 * warning naming the line of the lenient form.
 */

const HEAD = `tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
`;

type Accepted = Extract<ParseResult, { ok: true }>;

async function accepted(yaml: string, engine: ToscaEngine = builtinEngine()): Promise<Accepted> {
  const result = await engine.parse(yaml);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.errors)}`);
  return result;
}

async function errorsOf(yaml: string, engine: ToscaEngine = builtinEngine()): Promise<ToscaIssue[]> {
  const result = await engine.parse(yaml);
  if (result.ok) throw new Error('accepted');
  return result.errors;
}

/** The 1-based line of the n-th line of `yaml` containing `text`. */
function lineOf(yaml: string, text: string, nth = 1): number {
  const lines = yaml.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(text) && ++seen === nth) return i + 1;
  throw new Error(`${text} not found`);
}

/** Strict and lenient twins read alike for each of the given deployments' inputs. */
async function expectSameReading(strictYaml: string, lenientYaml: string, inputSets: Array<Record<string, unknown>>, engine?: ToscaEngine) {
  const strict = (await accepted(strictYaml, engine)).template;
  const lenient = (await accepted(lenientYaml, engine)).template;
  expect(deriveResources(lenient)).toEqual(deriveResources(strict));
  expect(inputsForForm(lenient)).toEqual(inputsForForm(strict));
  expect(slaPlacements(lenient)).toEqual(slaPlacements(strict));
  for (const inputs of inputSets) {
    const a = validateInputs(strict, inputs);
    expect(validateInputs(lenient, inputs), JSON.stringify(inputs)).toEqual(a);
    if (a.ok) expect(renderForIm(lenient, a.values)).toBe(renderForIm(strict, a.values));
  }
  return { strict, lenient };
}

function rejection(t: ParsedTemplate, inputs: Record<string, unknown>): string {
  const result = validateInputs(t, inputs);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(inputs)}`);
  return result.errors.map((e) => e.message).join('; ');
}

function storageTemplate(constraints: string): string {
  return `${HEAD}topology_template:
  inputs:
    docker_storage_size:
      type: scalar-unit.size
      default: 20 GB
      constraints:
${constraints}
  node_templates:
    storage:
      type: tosca.nodes.BlockStorage
      properties:
        size: { get_input: docker_storage_size }
`;
}

describe('constraints written as a map', () => {
  const strict = storageTemplate('        - in_range: [1 GB, 100 GB]');
  const lenient = storageTemplate('        in_range: [1 GB, 100 GB]');

  it('read as the list of their clauses: same resources, form, validation and IM template', async () => {
    const { lenient: t } = await expectSameReading(strict, lenient, [{}, { docker_storage_size: '50 GB' }, { docker_storage_size: '200 GB' }]);
    expect(rejection(t, { docker_storage_size: '200 GB' })).toMatch(/"200 GB" must be in the range \["1 GB", "100 GB"\]/);
    expect(validateInputs(t, { docker_storage_size: '100 GB' }).ok).toBe(true);
    expect(inputsForForm(t)[0].constraints).toEqual([{ in_range: ['1 GB', '100 GB'] }]);
  });

  it('warn with the line of the map; the list form gives no such warning', async () => {
    const line = lineOf(lenient, 'constraints:');
    expect((await accepted(lenient)).warnings).toContainEqual({
      path: 'topology_template.inputs.docker_storage_size.constraints',
      line,
      message: 'constraints are written as a map; read as the list of its 1 clause(s) in written order (in_range)',
    });
    expect((await accepted(strict)).warnings).toEqual([]);
  });

  it('go to the IM as the list the grammar asks for', async () => {
    const t = (await accepted(lenient)).template;
    const rendered = parseYamlText(renderForIm(t, { docker_storage_size: '50 GB' })) as Record<string, any>;
    expect(rendered.topology_template.inputs.docker_storage_size.constraints).toEqual([{ in_range: ['1 GB', '100 GB'] }]);
  });

  it('keep their order and every clause, and a bad clause is still refused at its line', async () => {
    const twoStrict = storageTemplate('        - greater_or_equal: 10 GB\n        - less_than: 50 GB');
    const twoLenient = storageTemplate('        greater_or_equal: 10 GB\n        less_than: 50 GB');
    const { lenient: t } = await expectSameReading(twoStrict, twoLenient, [{ docker_storage_size: '5 GB' }, { docker_storage_size: '50 GB' }, { docker_storage_size: '20 GB' }]);
    expect(rejection(t, { docker_storage_size: '5 GB' })).toMatch(/greater than or equal to "10 GB"/);
    expect(rejection(t, { docker_storage_size: '50 GB' })).toMatch(/less than "50 GB"/);
    const bad = storageTemplate('        in_range: [1 GB, 2 GB, 3 GB]');
    expect(await errorsOf(bad)).toEqual([
      {
        path: 'topology_template.inputs.docker_storage_size.constraints.in_range',
        line: lineOf(bad, 'in_range'),
        message: 'in_range needs a list of two values',
      },
    ]);
  });
});

function cpuTemplate(constraints: string, extraInput = ''): string {
  return `${HEAD}topology_template:
  inputs:
    cpus:
      type: integer
      default: 1
      constraints:
${constraints}
${extraInput}  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpus }
        os:
          properties:
            distribution: { get_input: distribution }
`;
}

const DISTRIBUTION_STRICT = `    distribution:
      type: string
      default: ubuntu
      constraints:
        - valid_values: [ ubuntu ]
`;

describe('several operators in one list entry', () => {
  it('are each a clause of their own, with a warning at the entry', async () => {
    const strict = cpuTemplate('        - greater_or_equal: 1\n        - less_or_equal: 8', DISTRIBUTION_STRICT);
    const lenient = cpuTemplate('        - { greater_or_equal: 1, less_or_equal: 8 }', DISTRIBUTION_STRICT);
    const { lenient: t } = await expectSameReading(strict, lenient, [{ cpus: 4 }, { cpus: 0 }, { cpus: 9 }]);
    expect(rejection(t, { cpus: 9 })).toMatch(/9 must be less than or equal to 8/);
    expect(rejection(t, { cpus: 0 })).toMatch(/0 must be greater than or equal to 1/);
    expect((await accepted(lenient)).warnings).toContainEqual({
      path: 'topology_template.inputs.cpus.constraints[0]',
      line: lineOf(lenient, 'greater_or_equal'),
      message: 'a constraint entry holds 2 operators (greater_or_equal, less_or_equal); each is read as its own clause',
    });
  });
});

describe('a lone valid_values value', () => {
  it('is a list of one, with a warning; other values are still refused', async () => {
    const strict = cpuTemplate('        - in_range: [1, 8]', DISTRIBUTION_STRICT);
    const lenientInput = DISTRIBUTION_STRICT.replace('- valid_values: [ ubuntu ]', 'valid_values: ubuntu');
    const lenient = cpuTemplate('        - in_range: [1, 8]', lenientInput);
    const { lenient: t } = await expectSameReading(strict, lenient, [{}, { distribution: 'ubuntu' }, { distribution: 'centos' }]);
    expect(rejection(t, { distribution: 'centos' })).toMatch(/"centos" must be one of \["ubuntu"\]/);
    const warnings = (await accepted(lenient)).warnings;
    expect(warnings.map((w) => [w.path, w.line])).toEqual([
      ['topology_template.inputs.distribution.constraints', lineOf(lenient, 'constraints:', 2)],
      ['topology_template.inputs.distribution.constraints.valid_values', lineOf(lenient, 'valid_values')],
    ]);
  });

  it('as a map or a list is still refused: its meaning is not one value', async () => {
    const bad = cpuTemplate('        - valid_values: { a: 1 }', DISTRIBUTION_STRICT);
    expect((await errorsOf(bad)).map((e) => e.message)).toEqual(['valid_values needs a list']);
  });
});

describe('entry_schema constraints as a map', () => {
  const template = (constraints: string) => `${HEAD}topology_template:
  inputs:
    users:
      type: list
      entry_schema:
        type: string
        constraints:
${constraints}
      default: [alice]
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
`;

  it('check every entry like the list form', async () => {
    const { lenient } = await expectSameReading(template('          - min_length: 3'), template('          min_length: 3'), [{ users: ['bob', 'carol'] }, { users: ['bob', 'al'] }]);
    expect(rejection(lenient, { users: ['bob', 'al'] })).toMatch(/entry 1: "al" must have length of at least 3/);
  });
});

function dataTypesTemplate(percent: string, disk: string): string {
  return `${HEAD}data_types:
  example.Percent:
    derived_from: integer
    constraints:
${percent}
  example.Quota:
    derived_from: tosca.datatypes.Root
    properties:
      disk:
        type: scalar-unit.size
        required: false
        constraints:
${disk}
topology_template:
  inputs:
    load:
      type: example.Percent
      default: 50
    quota:
      type: example.Quota
      default: { disk: 10 GB }
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
`;
}

describe('data types', () => {
  const strict = dataTypesTemplate('      - in_range: [0, 100]', '          - less_or_equal: 100 GB');
  const lenient = dataTypesTemplate('      in_range: [0, 100]', '          less_or_equal: 100 GB');

  it('take their own constraints and their fields’ constraints in map form, and still refuse what breaks them', async () => {
    const sets = [{}, { load: 101 }, { quota: { disk: '200 GB' } }, { quota: { disk: '100 GB' } }];
    const { strict: s, lenient: t } = await expectSameReading(strict, lenient, sets);
    for (const parsed of [s, t]) {
      expect(rejection(parsed, { load: 101 })).toMatch(/101 must be in the range \[0, 100\]/);
      expect(rejection(parsed, { quota: { disk: '200 GB' } })).toMatch(/field "disk": "200 GB" must be less than or equal to "100 GB"/);
      expect(validateInputs(parsed, { quota: { disk: '100 GB' }, load: 0 }).ok).toBe(true);
    }
    const warnings = (await accepted(lenient)).warnings;
    expect(warnings.map((w) => [w.path, w.line])).toEqual([
      ['data_types.example.Percent.constraints', lineOf(lenient, 'constraints:', 1)],
      ['data_types.example.Quota.properties.disk.constraints', lineOf(lenient, 'constraints:', 2)],
    ]);
  });
});

function nodeTypeTemplate(replicas: string, status: string, literal = ''): string {
  return `${HEAD}node_types:
  example.nodes.App:
    derived_from: tosca.nodes.SoftwareComponent
    properties:
      replicas:
        type: integer
        constraints:
${replicas}
    attributes:
      status:
        type: string
        constraints:
${status}
topology_template:
  inputs:
    replicas:
      type: integer
      default: 2
  node_templates:
    app:
      type: example.nodes.App
      properties:
        replicas: { get_input: replicas }
      requirements:
        - host: vm
${literal}    vm:
      type: tosca.nodes.indigo.Compute
`;
}

describe('node type properties and attributes with constraints as a map', () => {
  const strict = nodeTypeTemplate('          - in_range: [1, 5]', '          - valid_values: [up, down]');
  const lenient = nodeTypeTemplate('          in_range: [1, 5]', '          valid_values: [up, down]');

  it('check the input a property takes, as the list form does', async () => {
    const { strict: s, lenient: t } = await expectSameReading(strict, lenient, [{}, { replicas: 5 }, { replicas: 6 }]);
    for (const parsed of [s, t]) {
      expect(rejection(parsed, { replicas: 6 })).toBe('Input <replicas> is invalid for property replicas of node template app: 6 must be in the range [1, 5]');
    }
    expect((await accepted(lenient)).warnings.map((w) => [w.path, w.line])).toEqual([
      ['node_types.example.nodes.App.properties.replicas.constraints', lineOf(lenient, 'constraints:', 1)],
      ['node_types.example.nodes.App.attributes.status.constraints', lineOf(lenient, 'constraints:', 2)],
    ]);
  });

  it('refuse a literal property value that breaks them, at its line, in both forms', async () => {
    const literal = '    batch:\n      type: example.nodes.App\n      properties:\n        replicas: 9\n      requirements:\n        - host: vm\n';
    for (const yaml of [nodeTypeTemplate('          - in_range: [1, 5]', '          - valid_values: [up]', literal), nodeTypeTemplate('          in_range: [1, 5]', '          valid_values: [up]', literal)]) {
      expect(await errorsOf(yaml)).toEqual([
        {
          path: 'topology_template.node_templates.batch.properties.replicas',
          line: lineOf(yaml, 'replicas: 9'),
          message: 'property replicas of node template batch is invalid: 9 must be in the range [1, 5]',
        },
      ]);
    }
  });
});

describe('imported type files with constraints as a map', () => {
  const typeFile = (constraints: string) => `tosca_definitions_version: tosca_simple_yaml_1_0
data_types:
  example.Port:
    derived_from: integer
    constraints:
${constraints}
`;
  const engineWith = (content: string) => createToscaEngine({ extraTypeFiles: [{ source: 'example/types.yaml', content }] });
  const template = `tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - example/types.yaml
topology_template:
  inputs:
    port:
      type: example.Port
  node_templates:
    vm:
      type: tosca.nodes.Compute
`;

  it('read the same; the warning names the file and sits on the import', async () => {
    const lenientEngine = engineWith(typeFile('      in_range: [1024, 65535]'));
    const strictEngine = engineWith(typeFile('      - in_range: [1024, 65535]'));
    for (const engine of [strictEngine, lenientEngine]) {
      const t = (await accepted(template, engine)).template;
      expect(rejection(t, { port: 80 })).toMatch(/80 must be in the range \[1024, 65535\]/);
      expect(validateInputs(t, { port: 8080 }).ok).toBe(true);
    }
    expect((await accepted(template, strictEngine)).warnings).toEqual([]);
    expect((await accepted(template, lenientEngine)).warnings).toEqual([
      {
        path: 'imports[0]',
        line: 3,
        message: 'example/types.yaml: data_types.example.Port.constraints: constraints are written as a map; read as the list of its 1 clause(s) in written order (in_range)',
      },
    ]);
  });
});

describe('a lone import', () => {
  const body = `topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
`;
  const url = 'https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml';

  it('as a string or a map is a list of one import, with a warning', async () => {
    const twins = [
      [` ${url}`, `\n  - ${url}`, 'string'],
      [`\n  indigo_custom_types: ${url}`, `\n  - indigo_custom_types: ${url}`, 'map'],
    ] as const;
    for (const [imports, listed, kind] of twins) {
      const strict = `tosca_definitions_version: tosca_simple_yaml_1_0\nimports:${listed}\n${body}`;
      const lenient = `tosca_definitions_version: tosca_simple_yaml_1_0\nimports:${imports}\n${body}`;
      const { lenient: t } = await expectSameReading(strict, lenient, [{}]);
      expect(t.nodeTemplates.vm.ancestry).toContain('tosca.nodes.Compute');
      expect((await accepted(lenient)).warnings).toEqual([{ path: 'imports', line: 2, message: `imports is a single ${kind}; read as a list of one import` }]);
      const rendered = parseYamlText(renderForIm(t, {})) as Record<string, unknown>;
      expect(Array.isArray(rendered.imports)).toBe(true);
    }
  });

  it('as a map of several named imports goes to the IM as one list entry each', async () => {
    const engine = createToscaEngine({ extraTypeFiles: [{ source: 'example/empty.yaml', content: 'tosca_definitions_version: tosca_simple_yaml_1_0\n' }] });
    const lenient = `tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  indigo_custom_types: ${url}\n  extra: example/empty.yaml\n${body}`;
    const t = (await accepted(lenient, engine)).template;
    expect(t.imports.map((i) => i.name)).toEqual(['indigo_custom_types', 'extra']);
    const rendered = parseYamlText(renderForIm(t, {})) as Record<string, unknown>;
    expect(rendered.imports).toEqual([{ indigo_custom_types: url }, { extra: 'example/empty.yaml' }]);
  });

  it('that is neither is refused, and an unknown lone import is still an error', async () => {
    expect(await errorsOf(`tosca_definitions_version: tosca_simple_yaml_1_0\nimports: 5\n${body}`)).toEqual([{ path: 'imports', line: 2, message: 'imports must be a list' }]);
    const unknown = await errorsOf(`tosca_definitions_version: tosca_simple_yaml_1_0\nimports: nowhere/types.yaml\n${body}`);
    expect(unknown.map((e) => [e.path, e.message])).toEqual([['imports', 'cannot resolve import nowhere/types.yaml: no bundled or local type file has that path']]);
  });
});

describe('requirements written as a map', () => {
  const template = (requirements: string) => `${HEAD}topology_template:
  node_templates:
    web:
      type: tosca.nodes.WebServer
      requirements:
${requirements}
    vm:
      type: tosca.nodes.indigo.Compute
`;

  it('read as the list of their entries, with a warning; the IM gets the list', async () => {
    const lenient = template('        host: vm');
    const { lenient: t } = await expectSameReading(template('        - host: vm'), lenient, [{}]);
    expect(deriveResources(t).find((r) => r.name === 'vm')?.requiredBy).toEqual(['web']);
    expect((await accepted(lenient)).warnings).toEqual([
      {
        path: 'topology_template.node_templates.web.requirements',
        line: lineOf(lenient, 'requirements:'),
        message: 'requirements of node template web are written as a map; read as the list of its entries in written order',
      },
    ]);
    const rendered = parseYamlText(renderForIm(t, {})) as Record<string, any>;
    expect(rendered.topology_template.node_templates.web.requirements).toEqual([{ host: 'vm' }]);
  });

  it('still refuse a target that is not in the topology, at its line, and a lone string', async () => {
    const missing = template('        host: nowhere');
    expect(await errorsOf(missing)).toEqual([
      {
        path: 'topology_template.node_templates.web.requirements.host',
        line: lineOf(missing, 'host: nowhere'),
        message: 'requirement host of node template web points to nowhere, which is not a node template of this topology',
      },
    ]);
    expect((await errorsOf(template('        vm'))).map((e) => e.message)).toEqual(['requirements of node template web must be a list']);
  });
});

describe('policies', () => {
  const template = (policies: string) => `${HEAD}topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
  policies:
${policies}
`;
  const strict = template('    - deploy_on_cloud:\n        type: tosca.policies.indigo.SlaPlacement\n        properties: { sla_id: sla-1 }\n        targets: [ vm ]');

  it('with a lone target or written as a map read like the list form, with warnings', async () => {
    const loneTarget = template('    - deploy_on_cloud:\n        type: tosca.policies.indigo.SlaPlacement\n        properties: { sla_id: sla-1 }\n        targets: vm');
    const asMap = template('    deploy_on_cloud:\n      type: tosca.policies.indigo.SlaPlacement\n      properties: { sla_id: sla-1 }\n      targets: [ vm ]');
    for (const lenient of [loneTarget, asMap]) {
      const { lenient: t } = await expectSameReading(strict, lenient, [{}]);
      expect(slaPlacements(t)).toEqual([{ policy: 'deploy_on_cloud', slaId: 'sla-1', targets: ['vm'] }]);
      const rendered = parseYamlText(renderForIm(t, {})) as Record<string, any>;
      expect(rendered.topology_template.policies).toEqual([{ deploy_on_cloud: { type: 'tosca.policies.indigo.SlaPlacement', properties: { sla_id: 'sla-1' }, targets: ['vm'] } }]);
    }
    expect((await accepted(loneTarget)).warnings).toEqual([
      {
        path: 'topology_template.policies[0].deploy_on_cloud.targets',
        line: lineOf(loneTarget, 'targets: vm'),
        message: 'targets of policy deploy_on_cloud is the single name vm; read as a list of one target',
      },
    ]);
    expect((await accepted(asMap)).warnings.map((w) => [w.path, w.line])).toEqual([['topology_template.policies', lineOf(asMap, 'policies:')]]);
  });

  it('still refuse a lone target that is not in the topology, and targets that are a map', async () => {
    const unknown = template('    - deploy_on_cloud:\n        type: tosca.policies.indigo.SlaPlacement\n        targets: nowhere');
    expect((await errorsOf(unknown)).map((e) => e.message)).toEqual(['policy deploy_on_cloud targets nowhere, which is not a node template or group']);
    const map = template('    - deploy_on_cloud:\n        type: tosca.policies.indigo.SlaPlacement\n        targets: { vm: 1 }');
    expect(await errorsOf(map)).toEqual([
      {
        path: 'topology_template.policies[0].deploy_on_cloud.targets',
        line: lineOf(map, 'targets:'),
        message: 'targets of policy deploy_on_cloud must be a list of node template or group names',
      },
    ]);
  });
});

describe('shapes whose meaning is not clear stay refused with their line', () => {
  it('constraints that are a scalar, and list entries that are not maps', async () => {
    const scalar = storageTemplate('          5').replace('constraints:\n          5', 'constraints: 5');
    expect(await errorsOf(scalar)).toEqual([
      { path: 'topology_template.inputs.docker_storage_size.constraints', line: lineOf(scalar, 'constraints: 5'), message: 'constraints must be a list of single-operator maps' },
    ]);
    const ownType = nodeTypeTemplate('          5', '          - valid_values: [up]').replace('constraints:\n          5', 'constraints: 5');
    expect(await errorsOf(ownType)).toEqual([
      {
        path: 'node_types.example.nodes.App.properties.replicas.constraints',
        line: lineOf(ownType, 'constraints: 5'),
        message: 'constraints must be a list of single-operator maps',
      },
    ]);
    const entry = storageTemplate('        - in_range');
    expect(await errorsOf(entry)).toEqual([
      { path: 'topology_template.inputs.docker_storage_size.constraints[0]', line: lineOf(entry, '- in_range'), message: 'a constraint must be a map with one operator' },
    ]);
  });
});
