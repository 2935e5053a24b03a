import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
let id: string;
let templateId: string;
beforeAll(async () => {
  rig = await startDeploymentRig();
  templateId = await rig.templateId();
  id = await rig.deploy({ template_id: templateId });
  await rig.waitStatus(id, ['CREATE_COMPLETE']);
}, 60_000);
afterAll(async () => rig?.close());

const call = (method: string, path: string, token: string, json?: unknown) => rig.app.call(method, path, { token, json });

describe('who may do what with a deployment', () => {
  it('hides a deployment from a user who does not own it on every endpoint', async () => {
    const attempts = [
      call('GET', `/api/v1/deployments/${id}`, rig.bob),
      call('PATCH', `/api/v1/deployments/${id}`, rig.bob, { template_inputs: { vm_count: 2 } }),
      call('DELETE', `/api/v1/deployments/${id}`, rig.bob),
      call('POST', `/api/v1/deployments/${id}/reset-status`, rig.bob),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(rig.aliceId);
    }
    const list = await call('GET', '/api/v1/deployments', rig.bob);
    expect(list.body.data).toEqual([]);
    expect((await call('GET', `/api/v1/deployments/${id}`, rig.alice)).body.status_name).toBe('CREATE_COMPLETE');
  });

  it('refuses admin-only flags to users with 403 and changes nothing', async () => {
    expect((await call('DELETE', `/api/v1/deployments/${id}?force=true`, rig.alice)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/deployments/${id}?unsecure=true`, rig.alice)).status).toBe(403);
    expect((await call('PATCH', `/api/v1/deployments/${id}`, rig.alice, { user_group: 'physics' })).status).toBe(403);
    expect((await call('POST', `/api/v1/deployments/${id}/owners`, rig.alice, { id: rig.bobId })).status).toBe(403);
    expect((await call('DELETE', `/api/v1/deployments/${id}/owners/${rig.aliceId}`, rig.alice)).status).toBe(403);
    const now = await call('GET', `/api/v1/deployments/${id}`, rig.alice);
    expect(now.body).toMatchObject({ status_name: 'CREATE_COMPLETE', user_group: null, owned_by: [rig.aliceId] });
  });

  it('lets an admin change the group without a redeploy', async () => {
    const res = await call('PATCH', `/api/v1/deployments/${id}`, rig.root, { user_group: 'physics' });
    expect(res.status).toBe(204);
    const now = await call('GET', `/api/v1/deployments/${id}`, rig.alice);
    expect(now.body).toMatchObject({ status_name: 'CREATE_COMPLETE', user_group: 'physics' });
  });

  it('validates a new deployment and answers every problem at once', async () => {
    const bad = await call('POST', '/api/v1/deployments', rig.alice, { template_id: templateId, template_inputs: { vm_count: 'many', nope: 1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.length).toBeGreaterThanOrEqual(2);
    const missing = await call('POST', '/api/v1/deployments', rig.alice, { template_id: crypto.randomUUID() });
    expect(missing.status).toBe(422);
    const notMine = await call('POST', '/api/v1/deployments', rig.alice, { template_id: templateId, user_group: 'chemistry' });
    expect(notMine.status).toBe(403);
    const noProvider = await call('POST', '/api/v1/deployments', rig.alice, { template_id: templateId, target_provider: 'nowhere' });
    expect(noProvider.status).toBe(422);
    const limits = await call('POST', '/api/v1/deployments', rig.alice, { template_id: templateId, per_provider_max_retries: 11, tot_timeout_mins: 0 });
    expect(limits.status).toBe(422);
    const junk = await rig.app.call('POST', '/api/v1/deployments', { token: rig.alice, body: '{"template_id":', headers: { 'content-type': 'application/json' } });
    expect(junk.status).toBe(400);
    const list = await call('GET', '/api/v1/deployments?size=100', rig.alice);
    expect(list.body.data.map((d: any) => d.id)).toEqual([id]);
  });

  it('clamps the per-provider timeout to the total and targets the requested provider', async () => {
    const other = await rig.deploy({ template_id: templateId, tot_timeout_mins: 30, per_provider_timeout_mins: 90, target_provider: 'sim-third' });
    const done = await rig.waitStatus(other, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done).toMatchObject({ status_name: 'CREATE_COMPLETE', per_provider_timeout_mins: 30, target_provider: 'sim-third', target_iaas_project: 'third-project' });
  });

  it('replays an Idempotency-Key with the same body and refuses it with another', async () => {
    const headers = { 'idempotency-key': 'k-1' };
    const body = { template_id: templateId, template_inputs: { vm_count: 1 } };
    const first = await rig.app.call('POST', '/api/v1/deployments', { token: rig.alice, json: body, headers });
    const second = await rig.app.call('POST', '/api/v1/deployments', { token: rig.alice, json: body, headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const different = await rig.app.call('POST', '/api/v1/deployments', { token: rig.alice, json: { ...body, keep_last_attempt: true }, headers });
    expect(different.status).toBe(422);
    await rig.waitStatus(first.body.id, ['CREATE_COMPLETE']);
  });

  it('filters and pages the list; users cannot list other owners', async () => {
    const mine = await call('GET', '/api/v1/deployments?status=CREATE_COMPLETE,7&sort=created_at&size=1', rig.alice);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toHaveLength(1);
    expect(mine.body.data[0].id).toBe(id);
    expect(mine.body.page.total_elements).toBeGreaterThanOrEqual(2);
    expect((await call('GET', `/api/v1/deployments?owned_by=${rig.bobId}`, rig.alice)).status).toBe(403);
    expect((await call('GET', '/api/v1/deployments?status=BOGUS', rig.alice)).status).toBe(422);
    const unknown = await call('GET', '/api/v1/deployments?colour=red&sort=name', rig.alice);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: any) => e.loc.join('.')).sort()).toEqual(['query.colour', 'query.sort']);
    const admin = await call('GET', `/api/v1/deployments?owned_by=${rig.aliceId}&target_provider=sim-third`, rig.root);
    expect(admin.body.data.map((d: any) => d.target_provider)).toEqual(['sim-third']);
    const byGroup = await call('GET', '/api/v1/deployments?user_group=physics', rig.root);
    expect(byGroup.body.data.map((d: any) => d.id)).toEqual([id]);
  });

  it('removes the row on an admin force delete, destroying its infrastructure first', async () => {
    const infra = (await call('GET', `/api/v1/deployments/${id}`, rig.root)).body.im_infra_id;
    expect((await rig.liveInfras()).map((i) => i.id)).toContain(infra);
    const res = await call('DELETE', `/api/v1/deployments/${id}?force=true`, rig.root);
    expect(res.status).toBe(204);
    expect((await call('GET', `/api/v1/deployments/${id}`, rig.root)).status).toBe(404);
    await expect.poll(async () => (await rig.liveInfras()).map((i) => i.id), { timeout: 5_000 }).not.toContain(infra);
  });
});
