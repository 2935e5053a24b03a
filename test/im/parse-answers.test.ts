import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../src/im/classify-response.js';
import { infIdFromUri, vmIdFromUri } from '../../src/im/parse-answers.js';
import { classifyDeployState, parseInfraState } from '../../src/im/parse-state.js';
import { parseVmInfo } from '../../src/im/parse-vm-info.js';

describe('parseInfraState', () => {
  it('reads the infrastructure state and per-VM states', () => {
    const s = parseInfraState('{"state":{"state":"running","vm_states":{"0":"configured","1":"running"}}}');
    expect(s).toEqual({ state: 'running', vmStates: { '0': 'configured', '1': 'running' } });
  });

  it('reads a state name it does not know as unknown', () => {
    expect(parseInfraState('{"state":{"state":"hibernating","vm_states":{}}}').state).toBe('unknown');
  });

  it.each(['not json', '{"other":1}', '{"state":{"vm_states":{}}}'])('rejects %s as an invalid answer', (body) => {
    expect(() => parseInfraState(body)).toThrow(expect.objectContaining({ kind: 'invalid', retryable: false }));
  });
});

describe('classifyDeployState', () => {
  it.each([
    ['configured', 'success'],
    ['failed', 'failure'],
    ['unconfigured', 'failure'],
    ['pending', 'in_progress'],
    ['running', 'in_progress'],
    ['unknown', 'unknown'],
    ['stopped', 'unknown'],
  ] as const)('%s → %s', (state, cls) => {
    expect(classifyDeployState(state)).toBe(cls);
  });
});

describe('parseVmInfo', () => {
  const body = JSON.stringify({
    radl: [
      { class: 'network', id: 'pub_network', outbound: 'yes', provider_id: 'public' },
      { class: 'network', id: 'priv_network', provider_id: 'INFN_Cloud-net' },
      {
        class: 'system',
        id: 'simple_node',
        state: 'configured',
        instance_id: '38e9014e-aaaa',
        'net_interface.0.connection': 'priv_network',
        'net_interface.0.ip': '192.168.163.69',
        'net_interface.1.connection': 'pub_network',
        'net_interface.1.ip': '90.147.174.56',
        'disk.0.os.credentials.username': 'cloudadm',
        'disk.0.os.credentials.private_key': '-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----',
      },
    ],
  });

  it('maps the system aspect to node name, state and public/private IPs by network outbound', () => {
    const vm = parseVmInfo('3', body);
    expect(vm).toMatchObject({
      id: '3',
      nodeName: 'simple_node',
      state: 'configured',
      instanceId: '38e9014e-aaaa',
      publicIps: ['90.147.174.56'],
      privateIps: ['192.168.163.69'],
    });
  });

  it('never returns the private key', () => {
    expect(JSON.stringify(parseVmInfo('3', body))).not.toContain('MIIEabc');
  });

  it('classifies an address with no known network by its range', () => {
    const vm = parseVmInfo(
      '0',
      JSON.stringify({ radl: [{ class: 'system', id: 'n', state: 'running', 'net_interface.0.ip': '10.1.2.3', 'net_interface.1.ip': '203.0.113.9' }] }),
    );
    expect(vm.privateIps).toEqual(['10.1.2.3']);
    expect(vm.publicIps).toEqual(['203.0.113.9']);
  });

  it('rejects an answer without a system aspect', () => {
    expect(() => parseVmInfo('0', '{"radl":[]}')).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});

describe('errorFromResponse', () => {
  const json = (message: string, code: number) => JSON.stringify({ message, code });

  it.each([
    [401, 'No authentication data provided', 'auth', false],
    [400, 'Error Getting Inf. state: Invalid InfrastructureManager credentials. OIDC auth Token expired.', 'auth', false],
    [400, 'Error Creating Inf.: Error trying to decode OIDC auth token: Not enough segments', 'auth', false],
    [403, 'Error Getting Inf. state: Access to this infrastructure not granted.', 'forbidden', false],
    [403, 'Function currently disabled.', 'forbidden', true],
    [404, 'Error Getting Inf. state: Deleted infrastructure.', 'not_found', false],
    [409, 'Error Destroying Inf: Invalid State to perform this operation.', 'conflict', true],
    [400, 'Error Creating Inf.: Error adding VMs: quota', 'invalid', false],
    [415, 'Unsupported Accept Media Types: text/xml', 'invalid', false],
    [429, 'slow down', 'unavailable', true],
    [500, 'boom', 'unavailable', true],
    [502, 'Bad Gateway', 'unavailable', true],
    [503, 'Service Unavailable', 'unavailable', true],
    [504, 'Operation timed out', 'timeout', true],
  ] as const)('HTTP %i "%s" → %s (retryable %s)', (status, message, kind, retryable) => {
    const e = errorFromResponse('op', status, json(message, status), 'application/json');
    expect(e).toMatchObject({ kind, retryable, status, imMessage: message, operation: 'op' });
  });

  it('reads an HTML proxy page and a Retry-After hint', () => {
    const e = errorFromResponse('getState', 503, '<html><body><h1>503 Service Unavailable</h1></body></html>', 'text/html', '7');
    expect(e.imMessage).toBe('503 Service Unavailable');
    expect(e.retryAfterMs).toBe(7000);
  });

  it('does not leak a token echoed in an error body', () => {
    const e = errorFromResponse('op', 400, 'bad token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc', 'text/plain');
    expect(e.message).not.toContain('eyJ');
  });
});

describe('URI helpers', () => {
  it('takes the first UUID of an infrastructure URI, lowercased', () => {
    expect(infIdFromUri('https://im.example.org/im/infrastructures/9F1C6A2E-1234-11EF-8C2D-0242AC120002')).toBe(
      '9f1c6a2e-1234-11ef-8c2d-0242ac120002',
    );
    expect(infIdFromUri('http://h/infrastructures/abc')).toBe('abc');
  });

  it('takes the VM id at the end of a VM URI', () => {
    expect(vmIdFromUri('http://h/infrastructures/x/vms/12')).toBe('12');
    expect(vmIdFromUri('http://h/infrastructures/x')).toBeUndefined();
  });
});
