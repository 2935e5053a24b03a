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

describe('outputs that reach a HOST attribute (indigo-dc/mesos_cluster.yaml)', () => {
  it('give the addresses of the VM that hosts the node', async () => {
    const template = await readFile(resolve(SHARED_TOSCA_DIR, 'templates/indigo-dc/mesos_cluster.yaml'), 'utf8');
    // mesos_master sets mesos_masters_list to { get_attribute: [ HOST, private_address ] }.
    const tosca = `${template}    masters_list:\n      value: { get_property: [ mesos_master, mesos_masters_list ] }\n`;
    const c = ctx();
    const { infId } = await h.client.createInfrastructure(c, tosca);
    h.clock.advance(1_000);
    const vms = await Promise.all((await h.client.listVms(c, infId)).map((vm) => h.client.getVmInfo(c, infId, vm)));
    const master = vms.find((vm) => vm.nodeName === 'mesos_master_server');
    expect(master?.privateIps.length).toBe(1);
    const outputs = await h.client.getOutputs(c, infId);
    expect(outputs.masters_list).toEqual(master?.privateIps);
    expect(outputs.mesos_master).toEqual(master?.publicIps);

    await h.client.destroyInfrastructure(c, infId, { async: false });
  });
});
