import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_TOSCA_DIR } from '../helpers/tosca.js';
import { ctx, startHarness, type SimHarness } from './fixtures.js';

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sim.close());

describe('a real INDIGO template (indigo-dc/slurm_cluster.yaml)', () => {
  it('deploys one VM per compute instance, named after the TOSCA nodes, with evaluated outputs', async () => {
    const tosca = await readFile(resolve(SHARED_TOSCA_DIR, 'templates/indigo-dc/slurm_cluster.yaml'), 'utf8');
    const c = ctx();
    const { infId } = await h.client.createInfrastructure(c, tosca);
    h.clock.advance(1_000);
    const state = await h.client.getState(c, infId);
    expect(state).toEqual({ state: 'configured', vmStates: { '0': 'configured', '1': 'configured' } });
    const nodes = await Promise.all((await h.client.listVms(c, infId)).map((vm) => h.client.getVmInfo(c, infId, vm)));
    expect(nodes.map((n) => n.nodeName)).toEqual(['fe_server', 'wn_server']);

    const outputs = await h.client.getOutputs(c, infId);
    expect(outputs.cluster_ip).toBe(nodes[0].publicIps[0]);
    expect(outputs.cluster_creds).toEqual({ user: 'cloudadm', token_type: 'private_key', token: '*****' });
    expect(outputs.wn_ips).toEqual(nodes[1].privateIps);

    await h.client.destroyInfrastructure(c, infId, { async: false });
    expect(await h.liveInfraIds()).toEqual([]);
  });
});
