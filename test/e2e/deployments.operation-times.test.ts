import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments } from '../../src/db/schema.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

const ms = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));

describe('started_at and finished_at of the last operation', () => {
  let rig: DeploymentRig;
  beforeAll(async () => {
    rig = await startDeploymentRig();
  }, 60_000);
  afterAll(async () => rig?.close());

  it('span the create, then the update, in the single read and in the list', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    const created = await rig.waitStatus(id, ['CREATE_COMPLETE']);
    expect(created.started_at).toBe(created.created_at);
    expect(ms(created.finished_at)).toBeGreaterThanOrEqual(ms(created.started_at));
    const listed = (await rig.app.call('GET', '/api/v1/deployments', { token: rig.alice })).body.data.find((d: { id: string }) => d.id === id);
    expect({ started_at: listed.started_at, finished_at: listed.finished_at }).toEqual({ started_at: created.started_at, finished_at: created.finished_at });

    expect((await rig.app.call('PATCH', `/api/v1/deployments/${id}`, { token: rig.alice, json: { template_inputs: { vm_count: 2 } } })).status).toBe(202);
    const updated = await rig.waitStatus(id, ['UPDATE_COMPLETE']);
    expect(ms(updated.started_at)).toBeGreaterThanOrEqual(ms(created.finished_at));
    expect(ms(updated.finished_at)).toBeGreaterThanOrEqual(ms(updated.started_at));
  });
});

describe('while an operation runs', () => {
  let rig: DeploymentRig;
  beforeAll(async () => {
    rig = await startDeploymentRig({ workers: false });
  }, 60_000);
  afterAll(async () => rig?.close());

  const get = async (id: string) => (await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice })).body;

  it('has no finished_at; a reset finishes it, a delete starts the next one', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    const running = await get(id);
    expect(running).toMatchObject({ status_name: 'CREATE_IN_PROGRESS', started_at: running.created_at, finished_at: null });

    expect((await rig.app.call('POST', `/api/v1/deployments/${id}/reset-status`, { token: rig.alice })).status).toBe(202);
    const failed = await get(id);
    expect(failed.status_name).toBe('CREATE_FAILED');
    expect(failed.started_at).toBe(running.started_at);
    expect(ms(failed.finished_at)).toBeGreaterThanOrEqual(ms(failed.started_at));

    // As if a worker had created its infrastructure: the delete then has IM work to do (no worker runs here).
    await rig.app.deps.db.update(deployments).set({ imInfraId: 'infra-of-the-test' }).where(eq(deployments.id, id));
    expect((await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice })).status).toBe(202);
    const deleting = await get(id);
    expect(deleting).toMatchObject({ status_name: 'DELETE_IN_PROGRESS', finished_at: null });
    expect(ms(deleting.started_at)).toBeGreaterThanOrEqual(ms(failed.finished_at));
  });
});
