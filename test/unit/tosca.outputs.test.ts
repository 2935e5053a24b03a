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
