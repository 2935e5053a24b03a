import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildImAuthHeader } from '../../src/im/auth-header.js';
import { createImClient } from '../../src/im/client.js';
import type { ImCallContext } from '../../src/im/types.js';
import { ctx, makeToken, OST, startHarness, type SimHarness } from './fixtures.js';
import { clusterTemplate, scaleWorkers, singleNodeTemplate } from './templates.js';

const UUID_V1 = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let h: SimHarness;
let c: ImCallContext;
const created: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  c = ctx();
});

afterEach(async () => {
  h.clock.advance(1_000);
  for (const id of created.splice(0)) {
    await h.client.destroyInfrastructure(c, id, { force: true, async: false }).catch(() => undefined);
  }
});

afterAll(async () => {
  await h.sim.close();
});

async function deploy(tosca: string, opts: { async?: boolean } = {}): Promise<string> {
  const { infId } = await h.client.createInfrastructure(c, tosca, opts);
  created.push(infId);
  return infId;
}

describe('GET /version', () => {
  it('returns the IM version without authentication', async () => {
    expect(await h.client.getVersion()).toBe('1.19.2');
  });
});

describe('POST /infrastructures (create)', () => {
  it('creates asynchronously and returns a lowercase UUID v1 id and its absolute URI', async () => {
    const { infId, uri } = await h.client.createInfrastructure(c, singleNodeTemplate());
    created.push(infId);
    expect(infId).toMatch(UUID_V1);
    expect(uri).toBe(`${h.sim.url}/infrastructures/${infId}`);
    expect(await h.client.getState(c, infId)).toEqual({ state: 'pending', vmStates: {} });
  });

  it('creates synchronously with the VMs already requested', async () => {
    const infId = await deploy(singleNodeTemplate({ count: 2 }), { async: false });
    expect(await h.client.listVms(c, infId)).toEqual(['0', '1']);
  });

  it('sends exactly the contract wire format: Authorization lines, text/yaml body, JSON Accept, async flag', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const spy: typeof fetch = (input, init) => {
      seen.push({ url: String(input), init: init ?? {} });
      return fetch(input, init);
    };
    const client = createImClient({ baseUrl: h.sim.url, credentials: { username: 'orchestrator', password: 'orch-secret' }, fetch: spy });
    const token = makeToken({ sub: 'wire' });
    const { infId } = await client.createInfrastructure({ cloud: OST, accessToken: token }, singleNodeTemplate());
    created.push(infId);
    const headers = seen[0].init.headers as Record<string, string>;
    expect(seen[0].url).toBe(`${h.sim.url}/infrastructures?async=yes`);
    expect(seen[0].init.method).toBe('POST');
    expect(headers.Accept).toBe('application/json');
    expect(headers['Content-Type']).toBe('text/yaml');
    expect(headers.Authorization).toBe(buildImAuthHeader({ username: 'orchestrator', password: 'orch-secret' }, OST, token));
    expect(headers.Authorization).toMatch(/^id = im ; type = InfrastructureManager ; username = orchestrator ; password = orch-secret\\nid = ost ; type = OpenStack ; /);
  });
});

describe('GET /infrastructures (list)', () => {
  it("lists the caller's infrastructures newest first and filters them by a regex over the template", async () => {
    const a = await deploy(singleNodeTemplate());
    h.clock.advance(1);
    const b = await deploy(`${singleNodeTemplate()}# PAAS_DEP_UUID 7a4e0f9e-find-me\n`);
    const all = await h.client.listInfrastructures(c);
    expect(all.indexOf(b)).toBeLessThan(all.indexOf(a));
    expect(await h.client.listInfrastructures(c, { filter: '7a4e0f9e-find-me' })).toEqual([b]);
  });

  it("does not show another user's infrastructures", async () => {
    await deploy(singleNodeTemplate());
    const other = h.clientWith({ credentials: { username: 'someone-else', password: 'x' } });
    expect(await other.listInfrastructures(c)).toEqual([]);
  });
});

describe('state, VM list, VM info, contmsg and outputs of a deployment', () => {
  it('follows the deployment to configured with typed state, VM info and redacted logs/outputs', async () => {
    const infId = await deploy(singleNodeTemplate({ count: 2 }));
    h.clock.advance(25);
    expect(await h.client.getState(c, infId)).toEqual({ state: 'pending', vmStates: { '0': 'pending', '1': 'pending' } });
    expect(await h.client.listVms(c, infId)).toEqual(['0', '1']);
    const pendingVm = await h.client.getVmInfo(c, infId, '0');
    expect(pendingVm).toMatchObject({ id: '0', nodeName: 'server', state: 'pending', publicIps: [], privateIps: [] });

    h.clock.advance(500);
    expect(await h.client.getState(c, infId)).toEqual({ state: 'configured', vmStates: { '0': 'configured', '1': 'configured' } });
    const vm = await h.client.getVmInfo(c, infId, '1');
    expect(vm.nodeName).toBe('server');
    expect(vm.state).toBe('configured');
    expect(vm.publicIps).toHaveLength(1);
    expect(vm.privateIps[0]).toMatch(/^10\./);
    expect(JSON.stringify(vm.raw)).not.toMatch(/PRIVATE KEY|Sim-/);

    const log = await h.client.getContmsg(c, infId);
    expect(log).toContain('Contextualization process successfully finished.');
    expect(log).toContain('VM 1:');
    expect(log).not.toMatch(/PRIVATE KEY|eyJ[A-Za-z0-9_-]+\.eyJ|Sim-[A-Za-z0-9]/);
    const header = await h.client.getContmsg(c, infId, { headerOnly: true });
    expect(header).not.toContain('VM 0:');

    const outputs = await h.client.getOutputs(c, infId);
    expect(outputs.node_ip).toBe((await h.client.getVmInfo(c, infId, '0')).publicIps[0]);
    expect(outputs.node_ips).toHaveLength(2);
    expect(outputs.web_url).toBe(`http://${outputs.node_ip}:8080`);
    expect(outputs.node_creds).toEqual({ user: 'cloudadm', token_type: 'private_key', token: '*****' });
  });
});

describe('PUT /infrastructures/<id>/vms/<vm>/{stop,start,reboot}', () => {
  it('stops a VM, starts it again through pending, and keeps it configured across a reboot', async () => {
    const infId = await deploy(singleNodeTemplate(), { async: false });
    h.clock.advance(500);
    await h.client.stopVm(c, infId, '0');
    h.clock.advance(100);
    expect((await h.client.getVmInfo(c, infId, '0')).state).toBe('stopped');
    expect((await h.client.getState(c, infId)).state).toBe('stopped');
    await h.client.startVm(c, infId, '0');
    expect((await h.client.getVmInfo(c, infId, '0')).state).toBe('pending');
    h.clock.advance(100);
    expect((await h.client.getVmInfo(c, infId, '0')).state).toBe('configured');
    await h.client.rebootVm(c, infId, '0');
    expect((await h.client.getState(c, infId)).state).toBe('configured');
  });
});

describe('POST /infrastructures/<id> (update) and DELETE …/vms/<ids>', () => {
  it('adds VMs when a count grows, returning only the new VM ids, then reconfigures', async () => {
    const infId = await deploy(clusterTemplate(2), { async: false });
    h.clock.advance(500);
    expect((await h.client.getState(c, infId)).state).toBe('configured');
    expect(await h.client.updateInfrastructure(c, infId, scaleWorkers(4))).toEqual(['3', '4']);
    const during = await h.client.getState(c, infId);
    expect(during.vmStates).toMatchObject({ '3': 'pending', '4': 'pending' });
    h.clock.advance(500);
    expect(await h.client.getState(c, infId)).toEqual({
      state: 'configured',
      vmStates: { '0': 'configured', '1': 'configured', '2': 'configured', '3': 'configured', '4': 'configured' },
    });
  });

  it('removes the VMs named in removal_list, adding none', async () => {
    const infId = await deploy(clusterTemplate(3), { async: false });
    expect(await h.client.updateInfrastructure(c, infId, scaleWorkers(2, ['2']))).toEqual([]);
    expect(await h.client.listVms(c, infId)).toEqual(['0', '1', '3']);
  });

  it('removes VMs by id; a removed VM then answers not_found', async () => {
    const infId = await deploy(clusterTemplate(2), { async: false });
    await h.client.removeVms(c, infId, ['1', '2']);
    expect(await h.client.listVms(c, infId)).toEqual(['0']);
    await expect(h.client.getVmInfo(c, infId, '1')).rejects.toMatchObject({ kind: 'not_found', status: 404, imMessage: expect.stringContaining('Deleted VM.') });
  });
});

describe('DELETE /infrastructures/<id>', () => {
  it('deletes asynchronously: deleting for a while, then not_found', async () => {
    const infId = await deploy(singleNodeTemplate(), { async: false });
    await h.client.destroyInfrastructure(c, infId);
    expect((await h.client.getState(c, infId)).state).toBe('deleting');
    h.clock.advance(100);
    await expect(h.client.getState(c, infId)).rejects.toMatchObject({
      kind: 'not_found',
      retryable: false,
      imMessage: expect.stringContaining('Deleted infrastructure.'),
    });
    expect(await h.liveInfraIds()).not.toContain(infId);
  });

  it('deletes synchronously, after which every route answers not_found', async () => {
    const infId = await deploy(singleNodeTemplate(), { async: false });
    await h.client.destroyInfrastructure(c, infId, { async: false });
    await expect(h.client.listVms(c, infId)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(h.client.destroyInfrastructure(c, infId)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('answers not_found for an id that never existed', async () => {
    await expect(h.client.getState(c, '8d0c2b4e-0000-1000-8000-000000000000')).rejects.toMatchObject({
      kind: 'not_found',
      imMessage: expect.stringContaining('Invalid infrastructure ID or access not granted.'),
    });
  });
});

describe('leaks', () => {
  it('leaves no infrastructure behind once the tests above cleaned up', async () => {
    expect(await h.liveInfraIds()).toEqual([]);
  });
});
