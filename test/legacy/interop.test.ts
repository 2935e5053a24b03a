import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';
import { singleNodeTemplate } from '../im/templates.js';
import { dashboardCreateBody, legacy, legacyCreate, waitLegacyStatus } from './legacy.helpers.js';

let rig: DeploymentRig;

beforeAll(async () => {
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => rig?.close());

describe('one deployment, two APIs', () => {
  it('a legacy deployment is visible and manageable through v1', async () => {
    const created = await legacyCreate(rig, rig.alice, dashboardCreateBody({ userGroup: 'physics', parameters: { vm_count: 1 } }));
    const v1 = await rig.waitStatus(created.uuid, ['CREATE_COMPLETE']);
    expect(v1).toMatchObject({ id: created.uuid, user_group: 'physics', template_inputs: { vm_count: 1 }, created_by: rig.aliceId, owned_by: [rig.aliceId] });
    const template = await rig.app.call('GET', `/api/v1/templates/${v1.template_id}`, { token: rig.alice });
    expect(template.status).toBe(200);
    const list = await rig.app.call('GET', '/api/v1/deployments?size=100', { token: rig.alice });
    expect(list.body.data.map((d: any) => d.id)).toContain(created.uuid);

    const legacyResources = (await legacy(rig, 'GET', `/deployments/${created.uuid}/resources`, { token: rig.alice })).body.content.map((r: any) => r.uuid);
    const v1Resources = (await rig.app.call('GET', `/api/v1/deployments/${created.uuid}/resources`, { token: rig.alice })).body.data.map((r: any) => r.id);
    expect([...legacyResources].sort()).toEqual([...v1Resources].sort());

    const patch = await rig.app.call('PATCH', `/api/v1/deployments/${created.uuid}`, { token: rig.alice, json: { template_inputs: { vm_count: 2 } } });
    expect(patch.status).toBe(202);
    const updated = await waitLegacyStatus(rig, rig.alice, created.uuid, ['UPDATE_COMPLETE', 'UPDATE_FAILED']);
    expect(updated.status).toBe('UPDATE_COMPLETE');
    expect((await legacy(rig, 'GET', `/deployments/${created.uuid}/resources?type=tosca.nodes.Compute`, { token: rig.alice })).body.page.totalElements).toBe(2);

    expect((await rig.app.call('DELETE', `/api/v1/deployments/${created.uuid}`, { token: rig.alice })).status).toBe(202);
    expect((await waitLegacyStatus(rig, rig.alice, created.uuid, ['DELETE_COMPLETE'])).status).toBe('DELETE_COMPLETE');
  });

  it('a v1 deployment is visible and manageable through the legacy API', async () => {
    const template_id = await rig.templateId({ count: 3 });
    const id = await rig.deploy({ template_id, user_group: 'physics' });
    const shown = await waitLegacyStatus(rig, rig.alice, id, ['CREATE_COMPLETE']);
    expect(shown).toMatchObject({ uuid: id, userGroup: 'physics', createdBy: { subject: 'alice' }, cloudProviderName: 'sim-openstack' });
    const listed = await legacy(rig, 'GET', '/deployments?createdBy=me&size=100', { token: rig.alice });
    expect(listed.body.content.map((d: any) => d.uuid)).toContain(id);
    const template = await legacy(rig, 'GET', `/deployments/${id}/template`, { token: rig.alice });
    expect(template.text).toBe(singleNodeTemplate({ count: 3 }));

    const put = await legacy(rig, 'PUT', `/deployments/${id}`, { token: rig.alice, scheme: 'bearer', json: { template: template.text, parameters: { vm_count: 2 } } });
    expect(put.status, put.text).toBe(202);
    const v1 = await rig.waitStatus(id, ['UPDATE_COMPLETE', 'UPDATE_FAILED']);
    expect(v1).toMatchObject({ status_name: 'UPDATE_COMPLETE', template_inputs: { vm_count: 2 } });

    const rid = (await legacy(rig, 'GET', `/deployments/${id}/resources`, { token: rig.alice })).body.content[0].uuid;
    expect((await legacy(rig, 'POST', `/deployments/${id}/resources/${rid}/actions`, { token: rig.alice, json: { type: 'stop' } })).status).toBe(202);
    const resource = await rig.app.call('GET', `/api/v1/deployments/${id}/resources/${rid}`, { token: rig.alice });
    expect(['STOPPING', 'STOPPED']).toContain(resource.body.status_name);

    expect((await legacy(rig, 'DELETE', `/deployments/${id}?force=false`, { token: rig.alice })).status).toBe(204);
    expect((await rig.waitStatus(id, ['DELETE_COMPLETE', 'DELETE_FAILED'])).status_name).toBe('DELETE_COMPLETE');
  });

  it('v1 owners and admins carry over: a co-owner lists it through legacy, an admin sees it with createdBy', async () => {
    const created = await legacyCreate(rig, rig.alice);
    await rig.waitStatus(created.uuid, ['CREATE_COMPLETE']);
    expect((await legacy(rig, 'GET', `/deployments/${created.uuid}`, { token: rig.bob })).status).toBe(404);
    expect((await rig.app.call('POST', `/api/v1/deployments/${created.uuid}/owners`, { token: rig.root, json: { id: rig.bobId } })).status).toBe(202);
    await rig.waitStatus(created.uuid, ['CREATE_COMPLETE'], rig.root);
    const bobs = await legacy(rig, 'GET', '/deployments?createdBy=me&size=100', { token: rig.bob });
    expect(bobs.body.content.map((d: any) => d.uuid)).toContain(created.uuid);
    const byAdmin = await legacy(rig, 'GET', `/deployments?createdBy=alice@${rig.app.issuer.issuer}&size=100`, { token: rig.root });
    expect(byAdmin.body.content.map((d: any) => d.uuid)).toContain(created.uuid);
    expect((await legacy(rig, 'GET', `/deployments/${created.uuid}`, { token: rig.bob })).body.createdBy.subject).toBe('alice');
  });
});
