import { describe, expect, it } from 'vitest';
import { evaluateOutputs, evaluateValue, EvaluationError, type ParsedTemplate } from '../../src/tosca/index.js';
import { HEADER, parseInline, parseShared } from './tosca/fixtures.js';

const ATTRS = {
  mesos_master_server: { public_address: ['203.0.113.10', '203.0.113.11'], private_address: ['10.0.0.10'] },
  mesos_lb_server: { public_address: ['203.0.113.20'] },
};

describe('evaluateOutputs on a real template', () => {
  it('resolves get_attribute with and without index, and concat of scalars', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/mesos_cluster.yaml');
    expect(evaluateOutputs(t, {}, ATTRS)).toEqual({
      mesos_lb_ips: ['203.0.113.20'],
      mesos_master_ips: ['203.0.113.10', '203.0.113.11'],
      mesos_endpoint: 'http://203.0.113.10:5050',
      marathon_endpoint: 'https://203.0.113.10:8443',
      chronos_endpoint: 'https://203.0.113.10:4443',
    });
  });

  it('gives null while an attribute is not known yet, and a concat that needs it is null too', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/mesos_cluster.yaml');
    expect(evaluateOutputs(t, {}, {})).toEqual({
      mesos_lb_ips: null,
      mesos_master_ips: null,
      mesos_endpoint: null,
      marathon_endpoint: null,
      chronos_endpoint: null,
    });
  });
});

async function outputsTemplate(): Promise<ParsedTemplate> {
  return parseInline(`${HEADER}topology_template:
  inputs:
    domain: { type: string, default: example.org }
    user: { type: string, required: false }
    size: { type: scalar-unit.size, default: 2 GB }
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      properties:
        component_version: { get_input: domain }
        admin_credential: { user: admin, token: { get_property: [ SELF, component_version ] } }
      requirements:
        - host: srv
    srv:
      type: tosca.nodes.indigo.Compute
      properties:
        instance_name: { concat: [ web-, { get_input: domain } ] }
      capabilities:
        host:
          properties:
            mem_size: { get_input: size }
            publish_ports: [ { target: 8080 } ]
        endpoint:
          properties:
            ports:
              http: { protocol: tcp, source: 80 }
  outputs:
    url: { value: { concat: [ 'http://', { get_attribute: [ srv, public_address, 0 ] }, '.', { get_input: domain } ] } }
    who: { value: { get_input: user } }
    host_ip: { value: { token: [ { get_attribute: [ srv, private_address, 0 ] }, '.', 3 ] } }
    ips: { value: { join: [ { get_attribute: [ srv, public_address ] }, ', ' ] } }
    name: { value: { get_property: [ srv, instance_name ] } }
    mem: { value: { get_property: [ srv, host, mem_size ] } }
    port: { value: { get_property: [ srv, endpoint, ports, http, source ] } }
    publish: { value: { get_attribute: [ srv, host, publish_ports, 0, target ] } }
    cred: { value: { get_property: [ app, admin_credential, token ] } }
    tags: { value: { get_property: [ srv, tags ] } }
    via_req: { value: { get_property: [ app, host, instance_name ] } }
    literal: { value: 42 }
    creds: { value: { get_attribute: [ srv, endpoint, credential, 0 ] } }
`);
}

const SRV = { public_address: ['198.51.100.7', '198.51.100.8'], private_address: ['10.1.2.3'], endpoint: { credential: [{ user: 'cloudadm', token: 'k' }] } };

describe('intrinsic functions', () => {
  it('evaluates every output on its own; one failure does not hide the others', async () => {
    const t = await outputsTemplate();
    expect(evaluateOutputs(t, { size: '4 GB' }, { srv: SRV })).toEqual({
      url: 'http://198.51.100.7.example.org',
      who: 'Failed to evaluate outputs[who]: No input provided for <user> and no default value provided in the definition',
      host_ip: '3',
      ips: '198.51.100.7, 198.51.100.8',
      name: 'web-example.org',
      mem: '4 GB',
      port: 80,
      publish: 8080,
      cred: 'example.org',
      tags: {},
      via_req: 'web-example.org',
      literal: 42,
      creds: { user: 'cloudadm', token: 'k' },
    });
  });

  it('uses user values over defaults for get_input', async () => {
    const t = await outputsTemplate();
    expect(evaluateOutputs(t, { domain: 'cloud.test', user: 'ana' }, { srv: SRV })).toMatchObject({
      url: 'http://198.51.100.7.cloud.test',
      who: 'ana',
      name: 'web-cloud.test',
    });
  });

  it('resolves SELF, TARGET and HOST relative to the node evaluated', async () => {
    const t = await outputsTemplate();
    const ctx = { template: t, values: {}, attributes: { srv: SRV }, self: 'app', target: 'srv' };
    expect(evaluateValue({ get_property: ['SELF', 'component_version'] }, ctx)).toBe('example.org');
    expect(evaluateValue({ get_property: ['TARGET', 'instance_name'] }, ctx)).toBe('web-example.org');
    expect(evaluateValue({ get_attribute: ['HOST', 'public_address', 1] }, ctx)).toBe('198.51.100.8');
    expect(evaluateValue({ concat: ['a', 1, true] }, ctx)).toBe('a1true');
  });

  it('fails on circular get_property references', async () => {
    const t = await parseInline(`${HEADER}topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
      properties:
        instance_name: { get_property: [ SELF, tags ] }
        tags: { get_property: [ SELF, instance_name ] }
  outputs:
    loop: { value: { get_property: [ vm, instance_name ] } }
`);
    expect(evaluateOutputs(t, {}, {})).toEqual({
      loop: 'Failed to evaluate outputs[loop]: circular reference: vm.instance_name → vm.tags → vm.instance_name',
    });
    expect(() => evaluateValue({ get_property: ['vm', 'tags'] }, { template: t, values: {}, attributes: {} })).toThrow(EvaluationError);
  });

  it('fails on a property the node does not have', async () => {
    const t = await outputsTemplate();
    expect(() => evaluateValue({ get_property: ['srv', 'colour'] }, { template: t, values: {}, attributes: {} })).toThrow(
      'node template srv has no property colour',
    );
  });
});

describe('HOST in get_attribute and get_property', () => {
  it('resolves to the Compute node hosting a node of a real template (indigo-dc/mesos_cluster.yaml)', async () => {
    const t = await parseShared('templates/indigo-dc/mesos_cluster.yaml');
    expect(t.nodeTemplates.mesos_master.properties.mesos_masters_list).toEqual({ get_attribute: ['HOST', 'private_address'] });
    const attributes = { mesos_master_server: { private_address: ['10.0.0.10', '10.0.0.11'] } };
    const ctx = { template: t, values: {}, attributes };
    expect(evaluateValue({ get_property: ['mesos_master', 'mesos_masters_list'] }, ctx)).toEqual(['10.0.0.10', '10.0.0.11']);
    expect(evaluateValue(t.nodeTemplates.mesos_master.properties.mesos_masters_list, { ...ctx, self: 'mesos_master' })).toEqual([
      '10.0.0.10',
      '10.0.0.11',
    ]);
    expect(evaluateValue({ get_property: ['mesos_master', 'mesos_masters_list'] }, { ...ctx, attributes: {} })).toBeNull();
  });

  it('follows host requirements transitively (indigo-dc/dariah_repository.yaml)', async () => {
    const t = await parseShared('templates/indigo-dc/dariah_repository.yaml');
    expect(t.nodeTemplates.dariah_repository.requirements).toContainEqual({ name: 'host', node: 'mesos_master' });
    const ctx = {
      template: t,
      values: {},
      attributes: { mesos_master_server: { public_address: ['203.0.113.5'], private_address: ['10.0.0.5'] } },
      self: 'dariah_repository',
    };
    expect(evaluateValue({ get_attribute: ['HOST', 'public_address', 0] }, ctx)).toBe('203.0.113.5');
    expect(evaluateValue({ get_property: ['HOST', 'os', 'image'] }, ctx)).toBe('linux-ubuntu-14.04-vmi');
    expect(evaluateValue({ get_property: ['HOST', 'host', 'num_cpus'] }, { ...ctx, values: { master_cpus: 4 } })).toBe(4);
    expect(evaluateValue({ get_property: ['HOST', 'mesos_masters_list'] }, ctx)).toEqual(['203.0.113.5']);
  });

  it('takes the nearest host that has the attribute or property, as the TOSCA spec searches the chain', async () => {
    const t = await parseInline(`${HEADER}topology_template:
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      properties:
        component_version: { get_property: [ HOST, component_version ] }
      requirements:
        - host: runtime
    runtime:
      type: tosca.nodes.SoftwareComponent
      properties:
        component_version: "24.0"
      requirements:
        - host: vm
    vm:
      type: tosca.nodes.indigo.Compute
  outputs:
    app_version: { value: { get_property: [ app, component_version ] } }
`);
    const attributes = { runtime: { state: 'configured' }, vm: { state: 'running', public_address: ['198.51.100.1'] } };
    const ctx = { template: t, values: {}, attributes, self: 'app' };
    expect(evaluateValue({ get_attribute: ['HOST', 'state'] }, ctx)).toBe('configured');
    expect(evaluateValue({ get_attribute: ['HOST', 'public_address', 0] }, ctx)).toBe('198.51.100.1');
    expect(evaluateOutputs(t, {}, attributes)).toEqual({ app_version: '24.0' });
    expect(() => evaluateValue({ get_property: ['HOST', 'colour'] }, ctx)).toThrow('no node hosting app has a property colour');
    expect(() => evaluateValue({ get_attribute: ['HOST', 'state'] }, { ...ctx, self: 'vm' })).toThrow(
      'get_attribute uses HOST, but node template vm is not hosted on another node',
    );
  });

  it('follows a requirement of another name whose relationship is HostedOn', async () => {
    const t = await parseInline(`${HEADER}topology_template:
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - runs_on: { node: vm, relationship: tosca.relationships.HostedOn }
        - dependency: db
    db:
      type: tosca.nodes.indigo.Compute
    vm:
      type: tosca.nodes.indigo.Compute
`);
    const attributes = { vm: { private_address: ['10.0.0.7'] }, db: { private_address: ['10.0.0.8'] } };
    expect(evaluateValue({ get_attribute: ['HOST', 'private_address', 0] }, { template: t, values: {}, attributes, self: 'app' })).toBe('10.0.0.7');
  });

  it('has no meaning directly in outputs, nor do SOURCE and TARGET outside a relationship', async () => {
    const t = await parseInline(`${HEADER}topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
  outputs:
    host: { value: { get_attribute: [ HOST, public_address ] } }
    self: { value: { get_attribute: [ SELF, public_address ] } }
    target: { value: { get_property: [ TARGET, tags ] } }
`);
    expect(evaluateOutputs(t, {}, { vm: { public_address: ['198.51.100.1'] } })).toEqual({
      host: 'Failed to evaluate outputs[host]: get_attribute uses HOST, which only has a meaning inside a node template',
      self: 'Failed to evaluate outputs[self]: get_attribute uses SELF, which only has a meaning inside a node template',
      target: 'Failed to evaluate outputs[target]: get_property uses TARGET, which only has a meaning inside a relationship',
    });
    const inNode = { template: t, values: {}, attributes: {}, self: 'vm' };
    expect(() => evaluateValue({ get_property: ['SOURCE', 'tags'] }, inNode)).toThrow('get_property uses SOURCE, which only has a meaning inside a relationship');
  });

  it('resolves SOURCE and TARGET inside a relationship (onedata_client_on_aws.yaml)', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/onedata_client_on_aws.yaml');
    const ctx = { template: t, values: {}, attributes: {}, self: 'onedata_client_node', target: 'my_onedata_storage' };
    expect(evaluateValue({ get_property: ['TARGET', 'credential', 'token'] }, ctx)).toBe('some_token');
    expect(evaluateValue({ get_property: ['TARGET', 'onezone_endpoint'] }, ctx)).toBe('http://server.com');
    expect(evaluateValue({ get_property: ['SOURCE', 'os', 'distribution'] }, ctx)).toBe('ubuntu');
  });

  it('does not mistake Object.prototype names for nodes or properties', async () => {
    const t = await outputsTemplate();
    const ctx = { template: t, values: {}, attributes: {} };
    expect(() => evaluateValue({ get_property: ['constructor', 'x'] }, ctx)).toThrow(EvaluationError);
    expect(() => evaluateValue({ get_property: ['srv', 'toString', 'x'] }, ctx)).toThrow('node template srv has no property toString.x');
    expect(evaluateValue({ get_attribute: ['srv', 'constructor'] }, ctx)).toBeNull();
  });
});
