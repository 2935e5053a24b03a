import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../src/db/schema.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => rig?.close());

const resourceRows = (id: string) => rig.app.deps.db.select().from(resources).where(eq(resources.deploymentId, id));

describe('a deployment through the IM simulator', () => {
  it('creates, updates with a new node, and deletes leaving nothing on the IM', async () => {
    const template_id = await rig.templateId();
    const id = await rig.deploy({ template_id, template_inputs: { admin_password: 'hunter2-Secret' } });

    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.status).toBe(0);
    expect(done.target_provider).toBe('sim-openstack');
    expect(done.target_region).toBe('RegionOne');
    expect(done.im_infra_id).toMatch(/\S/);
    expect(done.template_inputs).toEqual({ admin_password: '*****' });
    expect(done.template_outputs.node_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(done.owned_by).toEqual([rig.aliceId]);
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0]).toMatchObject({ provider: 'sim-openstack', outcome: 'success' });
    expect(done.links.resources).toBe(`${rig.app.url}/api/v1/deployments/${id}/resources`);
    let rs = await resourceRows(id);
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ toscaNodeName: 'server', status: 0, imVmIdx: 0 });
    expect((rs[0].metadata as { public_ips: string[] }).public_ips.length).toBeGreaterThan(0);

    const patch = await rig.app.call('PATCH', `/api/v1/deployments/${id}`, { token: rig.alice, json: { template_inputs: { vm_count: 2 } } });
    expect(patch.status).toBe(202);
    const updated = await rig.waitStatus(id, ['UPDATE_COMPLETE', 'UPDATE_FAILED']);
    expect(updated.status_name, updated.status_reason).toBe('UPDATE_COMPLETE');
    expect(updated.template_inputs).toEqual({ admin_password: '*****', vm_count: 2 });
    rs = await resourceRows(id);
    expect(rs.map((r) => r.imVmIdx).sort()).toEqual([0, 1]);
    expect(rs.every((r) => r.status === 0)).toBe(true);

    const del = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(del.status).toBe(202);
    const gone = await rig.waitStatus(id, ['DELETE_COMPLETE', 'DELETE_FAILED']);
    expect(gone.status_name, gone.status_reason).toBe('DELETE_COMPLETE');
    expect((await resourceRows(id)).every((r) => r.status === 4)).toBe(true);
    expect((await rig.liveInfras()).map((i) => i.id)).not.toContain(done.im_infra_id);

    const again = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, current_status: 'DELETE_COMPLETE' });
  });

  it('fails over to the next provider when the IM reports the first infrastructure failed, destroying it', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id, per_provider_max_retries: 1 });
    const first = await waitForInfra(id);
    await rig.forceState(first, 'failed');
    // The second provider's infrastructure is stuck too: once it exists, let it configure.
    const second = await waitForInfra(id, first);
    await rig.forceState(second, 'configured');
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.attempts.map((a: any) => [a.provider, a.outcome])).toEqual([
      ['sim-openstack', 'failed'],
      ['sim-backup', 'success'],
    ]);
    expect(done.im_infra_id).toBe(second);
    const live = (await rig.liveInfras()).map((i) => i.id);
    expect(live).not.toContain(first);
    expect(live).toContain(second);
  });

  it('ends CREATE_FAILED naming every provider when all fail, and keep_last_attempt keeps only the last', async () => {
    const template_id = await rig.templateId({ scenario: 'all-failed' });
    const before = new Set((await rig.liveInfras()).map((i) => i.id));
    const id = await rig.deploy({ template_id, per_provider_max_retries: 1, keep_last_attempt: true });
    const failed = await rig.waitStatus(id, ['CREATE_FAILED', 'CREATE_COMPLETE']);
    expect(failed.status_name).toBe('CREATE_FAILED');
    for (const p of ['sim-openstack', 'sim-backup', 'sim-third']) expect(failed.status_reason).toContain(p);
    expect(failed.attempts).toHaveLength(3);
    const kept = (await rig.liveInfras()).filter((i) => !before.has(i.id));
    expect(kept.map((i) => i.id)).toEqual([failed.attempts[2].im_infra_id]);
    expect(failed.im_infra_id).toBe(failed.attempts[2].im_infra_id);

    const del = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(del.status).toBe(202);
    expect((await rig.waitStatus(id, ['DELETE_COMPLETE', 'DELETE_FAILED'])).status_name).toBe('DELETE_COMPLETE');
    expect((await rig.liveInfras()).map((i) => i.id)).not.toContain(failed.im_infra_id);
  });

  it('stops after max_providers', async () => {
    const template_id = await rig.templateId({ scenario: 'unconfigured' });
    const id = await rig.deploy({ template_id, per_provider_max_retries: 2, max_providers: 1 });
    const failed = await rig.waitStatus(id, ['CREATE_FAILED', 'CREATE_COMPLETE']);
    expect(failed.status_name).toBe('CREATE_FAILED');
    expect(failed.attempts.map((a: any) => a.provider)).toEqual(['sim-openstack', 'sim-openstack']);
    expect(failed.status_reason).toMatch(/unconfigured/);
  });

  it('cancels a running create on delete and leaks nothing', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id });
    const infra = await waitForInfra(id);
    const del = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(del.status).toBe(202);
    const gone = await rig.waitStatus(id, ['DELETE_COMPLETE', 'DELETE_FAILED']);
    expect(gone.status_name, gone.status_reason).toBe('DELETE_COMPLETE');
    expect((await rig.liveInfras()).map((i) => i.id)).not.toContain(infra);
  });

  it('resets a stuck create to CREATE_FAILED and the worker does not overwrite it', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id });
    const infra = await waitForInfra(id);
    const reset = await rig.app.call('POST', `/api/v1/deployments/${id}/reset-status`, { token: rig.alice });
    expect(reset.status).toBe(202);
    await rig.forceState(infra, 'configured');
    await new Promise((r) => setTimeout(r, 400));
    const after = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(after.body.status_name).toBe('CREATE_FAILED');
    expect(after.body.status_reason).toMatch(/reset/);
    const twice = await rig.app.call('POST', `/api/v1/deployments/${id}/reset-status`, { token: rig.alice });
    expect(twice.status).toBe(409);
    expect(twice.body.allowed).toEqual(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS']);
  });

  it('answers 409 with the current status to an update while creating', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id });
    const res = await rig.app.call('PATCH', `/api/v1/deployments/${id}`, { token: rig.alice, json: { template_inputs: { vm_count: 3 } } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, current_status: 'CREATE_IN_PROGRESS' });
    expect(res.body.allowed).not.toContain('CREATE_IN_PROGRESS');
    const owners = await rig.app.call('POST', `/api/v1/deployments/${id}/owners`, { token: rig.root, json: { id: rig.bobId } });
    expect(owners.status).toBe(409);
    await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect((await rig.waitStatus(id, ['DELETE_COMPLETE', 'DELETE_FAILED'])).status_name).toBe('DELETE_COMPLETE');
  });

  it('adds and removes owners through an IM update, refusing to remove the last one', async () => {
    const template_id = await rig.templateId();
    const id = await rig.deploy({ template_id });
    await rig.waitStatus(id, ['CREATE_COMPLETE']);
    const add = await rig.app.call('POST', `/api/v1/deployments/${id}/owners`, { token: rig.root, json: { id: rig.bobId } });
    expect(add.status).toBe(202);
    const back = await rig.waitStatus(id, ['CREATE_COMPLETE', 'UPDATE_FAILED'], rig.root);
    expect(back.status_name, back.status_reason).toBe('CREATE_COMPLETE');
    expect(back.owned_by.sort()).toEqual([rig.aliceId, rig.bobId].sort());
    expect((await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.bob })).status).toBe(200);
    const same = await rig.app.call('POST', `/api/v1/deployments/${id}/owners`, { token: rig.root, json: { id: rig.bobId } });
    expect(same.status).toBe(204);

    const remove = await rig.app.call('DELETE', `/api/v1/deployments/${id}/owners/${rig.aliceId}`, { token: rig.root });
    expect(remove.status).toBe(202);
    await rig.waitStatus(id, ['CREATE_COMPLETE'], rig.root);
    const last = await rig.app.call('DELETE', `/api/v1/deployments/${id}/owners/${rig.bobId}`, { token: rig.root });
    expect(last.status).toBe(409);
    const notOwner = await rig.app.call('DELETE', `/api/v1/deployments/${id}/owners/${rig.aliceId}`, { token: rig.root });
    expect(notOwner.status).toBe(204);
    expect((await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice })).status).toBe(404);
  });
});

/** The IM infrastructure of the deployment's current attempt, once it exists (other than `not`). */
async function waitForInfra(id: string, not?: string): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.root });
    const infra = res.body.im_infra_id;
    if (infra && infra !== not) return infra;
    if (Date.now() > until) throw new Error(`no infrastructure for ${id}: ${res.body.status_name} ${res.body.status_reason}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
