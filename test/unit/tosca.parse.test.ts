import { describe, expect, it } from 'vitest';
import { slaPlacements, type ParseResult } from '../../src/tosca/index.js';
import { builtinEngine, HEADER, parseInline, parseShared } from './tosca/fixtures.js';

async function errorsOf(yaml: string): Promise<Array<{ path: string; line?: number; message: string }>> {
  const result: ParseResult = await builtinEngine().parse(yaml);
  if (result.ok) throw new Error('accepted');
  return result.errors;
}

const topology = (body: string) => `${HEADER}topology_template:\n${body}`;

describe('parse errors name the path and line of the problem', () => {
  it('malformed YAML', async () => {
    expect(await errorsOf('tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  inputs: [\n    a: b\n')).toEqual([
      { path: '', line: 5, message: expect.stringMatching(/^the template is not valid YAML: /) },
    ]);
  });

  it('a document that is not a map', async () => {
    expect(await errorsOf('- just\n- a list\n')).toEqual([{ path: '', line: 1, message: 'the template must be a YAML map' }]);
  });

  it('a missing or unsupported tosca_definitions_version', async () => {
    expect(await errorsOf('topology_template: {}\n')).toEqual([{ path: '', line: 1, message: 'tosca_definitions_version is missing' }]);
    expect(await errorsOf('tosca_definitions_version: tosca_simple_yaml_9_9\ntopology_template: {}\n')).toEqual([
      {
        path: 'tosca_definitions_version',
        line: 1,
        message: expect.stringMatching(/^unsupported tosca_definitions_version "tosca_simple_yaml_9_9"; expected one of tosca_simple_yaml_1_0/),
      },
    ]);
  });

  it('a missing topology_template or empty node_templates', async () => {
    expect(await errorsOf(HEADER)).toEqual([{ path: 'topology_template', line: 1, message: 'topology_template is missing or is not a map' }]);
    expect(await errorsOf(topology('  node_templates: {}\n'))).toEqual([
      { path: 'topology_template.node_templates', line: 5, message: 'node_templates must be a map with at least one node template' },
    ]);
  });

  it('an unknown node type', async () => {
    expect(await errorsOf(topology('  node_templates:\n    vm:\n      type: tosca.nodes.indigo.Comput\n'))).toEqual([
      {
        path: 'topology_template.node_templates.vm.type',
        line: 7,
        message: 'node template vm has an unknown node type tosca.nodes.indigo.Comput',
      },
    ]);
  });

  it('a requirement pointing to a missing node', async () => {
    const yaml = topology(`  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: vmm
    vm:
      type: tosca.nodes.Compute
`);
    expect(await errorsOf(yaml)).toEqual([
      {
        path: 'topology_template.node_templates.app.requirements[0].host',
        line: 9,
        message: 'requirement host of node template app points to vmm, which is not a node template of this topology',
      },
    ]);
  });

  it('get_input of an undeclared input, in node templates and outputs', async () => {
    const yaml = topology(`  inputs:
    cpus: { type: integer, default: 1 }
  node_templates:
    vm:
      type: tosca.nodes.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpu }
  outputs:
    where: { value: { get_input: region } }
`);
    expect(await errorsOf(yaml)).toEqual([
      {
        path: 'topology_template.node_templates.vm.capabilities.host.properties.num_cpus.get_input',
        line: 13,
        message: 'get_input refers to cpu, which is not declared in inputs',
      },
      {
        path: 'topology_template.outputs.where.value.get_input',
        line: 15,
        message: 'get_input refers to region, which is not declared in inputs',
      },
    ]);
  });

  it('get_attribute on a node that does not exist', async () => {
    const yaml = topology(`  node_templates:
    vm:
      type: tosca.nodes.Compute
  outputs:
    ip: { value: { get_attribute: [ server, public_address ] } }
`);
    expect(await errorsOf(yaml)).toEqual([
      {
        path: 'topology_template.outputs.ip.value.get_attribute',
        line: 9,
        message: 'get_attribute refers to "server", which is not a node template of this topology',
      },
    ]);
  });

  it('a dependency loop between node templates', async () => {
    const yaml = topology(`  node_templates:
    a:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - dependency: b
    b:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - dependency: c
    c:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - dependency: a
`);
    expect(await errorsOf(yaml)).toEqual([
      { path: 'topology_template.node_templates.a', line: 6, message: 'dependency loop: a → b → c → a' },
    ]);
  });

  it('several problems at once', async () => {
    const yaml = topology(`  inputs:
    size: { type: sizeish }
  node_templates:
    a:
      type: Nothing
    b:
      type: tosca.nodes.Compute
  outputs:
    broken: 42
`);
    expect((await errorsOf(yaml)).map((e) => e.path)).toEqual([
      'topology_template.inputs.size.type',
      'topology_template.node_templates.a.type',
      'topology_template.outputs.broken',
    ]);
  });

  it('a policy targeting a missing node', async () => {
    const yaml = topology(`  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
  policies:
    - place:
        type: tosca.policies.indigo.SlaPlacement
        properties: { sla_id: abc }
        targets: [ vm, ghost ]
`);
    expect(await errorsOf(yaml)).toEqual([
      { path: 'topology_template.policies[0].place.targets[1]', line: 12, message: 'policy place targets ghost, which is not a node template or group' },
    ]);
  });
});

describe('parsed templates', () => {
  it('keep the last value of a repeated key, as SnakeYAML does', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/hadoop_cluster.yaml');
    const ports = t.nodeTemplates.hadoop_server.capabilities.endpoint.properties.ports as Record<string, unknown>;
    expect(Object.keys(ports)).toEqual(['dfs_port']);
  });

  it('expose metadata, description, outputs and policies', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/web_mysql_tosca_across_clouds.yaml');
    expect(t.toscaDefinitionsVersion).toBe('tosca_simple_yaml_1_0');
    expect(t.description).toEqual(expect.any(String));
    expect(slaPlacements(t)).toEqual([
      { policy: expect.any(String), slaId: expect.any(String), targets: ['db_server'] },
      { policy: expect.any(String), slaId: expect.any(String), targets: ['web_server'] },
    ]);
  });

  it('accept a policy without targets, and keep only SlaPlacement for placement', async () => {
    const hybrid = await parseShared('templates/infn-orchestrator-tests/tosca_hybrid_before_update.yaml');
    expect(hybrid.policies).toEqual([{ name: expect.any(String), type: 'tosca.policies.indigo.SlaPlacement', properties: { sla_id: expect.any(String) }, targets: [] }]);
    expect(slaPlacements(hybrid)).toEqual([{ policy: expect.any(String), slaId: expect.any(String), targets: [] }]);
    const aws = await parseShared('templates/indigo-dc-tosca-types/examples/mesos_cluster_aws.yaml');
    expect(aws.policies.map((p) => p.type)).toEqual(['tosca.policies.indigo.CredentialsAwareSlaPlacement']);
    expect(slaPlacements(aws)).toEqual([]);
  });

  it('read TOSCA 1.0 top-level template_name and template_version into metadata', async () => {
    const t = await parseInline(`${HEADER}template_name: my-cluster
template_version: 1.2.0
metadata:
  display_name: My cluster
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
`);
    expect(t.metadata).toEqual({ display_name: 'My cluster', template_name: 'my-cluster', template_version: '1.2.0' });
  });

  it('record every get_input of node templates with its path', async () => {
    const t = await parseShared('templates/infn-orchestrator-tests/inputs/tosca_inputs_default_replaced.yaml');
    expect(t.getInputUses).toEqual([
      { input: 'cpus', path: ['node_templates', 'my_server', 'capabilities', 'host', 'properties', 'num_cpus'] },
    ]);
  });

  it('warn about unexpected keys without rejecting', async () => {
    const result = await builtinEngine().parse(`${HEADER}flavour: extra
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
      scalable: { count: 2 }
`);
    expect(result.ok && result.warnings).toEqual([
      { path: 'flavour', line: 4, message: 'unexpected top-level key flavour' },
      { path: 'topology_template.node_templates.vm.scalable', line: 9, message: 'node template vm has an unexpected key scalable' },
    ]);
  });

  it('keep the parsed YAML document as raw', async () => {
    const t = await parseShared('templates/infn-orchestrator-tests/compute_tosca.yaml');
    expect(t.raw).toMatchObject({ tosca_definitions_version: 'tosca_simple_yaml_1_0', topology_template: { node_templates: { my_server: {} } } });
  });
});
