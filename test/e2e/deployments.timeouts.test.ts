import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deploymentAttempts, deployments, resources } from '../../src/db/schema.js';
import { RESOURCE_STATUS } from '../../src/domain/resource-status.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => rig?.close());
afterEach(async () => {
  await fetch(`${rig.sim.url}/__sim/faults`, { method: 'DELETE' });
});

const get = async (id: string, token = rig.alice) => (await rig.app.call('GET', `/api/v1/deployments/${id}`, { token })).body;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Polls `probe` until it returns a value (not undefined), failing with `what` after a while. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The open attempt of the deployment once its infrastructure exists (other than `not`). */
const openAttemptWithInfra = (id: string, not?: string) =>
  until(`an open attempt with an infrastructure for ${id}`, async () => {
    const d = await get(id, rig.root);
    const open = (d.attempts ?? []).find((a: any) => a.finished_at === null && a.im_infra_id && a.im_infra_id !== not);
    return open as { seq: number; im_infra_id: string; provider: string } | undefined;
  });

const liveIds = async () => (await rig.liveInfras()).map((i) => i.id);

/** The simulator no longer lists any of these infrastructures (deletes take a few ms there). */
const waitGone = (ids: string[]) =>
  until(`${ids.join(', ')} to be gone from the IM`, async () => {
    const live = await liveIds();
    return ids.every((i) => !live.includes(i)) ? true : undefined;
  });

async function completed(): Promise<{ id: string; infra: string }> {
  const template_id = await rig.templateId();
  const id = await rig.deploy({ template_id });
  const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
  expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
  return { id, infra: done.im_infra_id };
}

describe('deployment timeouts and resets', () => {
  it('times an attempt out after the per-provider timeout, destroys it and fails over', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id, per_provider_max_retries: 1 });
    const first = await openAttemptWithInfra(id);
    expect(first.provider).toBe('sim-openstack');
    await rig.app.deps.db
      .update(deploymentAttempts)
      .set({ startedAt: sql`${deploymentAttempts.startedAt} - interval '2 days'` })
      .where(and(eq(deploymentAttempts.deploymentId, id), eq(deploymentAttempts.seq, first.seq)));

    const second = await openAttemptWithInfra(id, first.im_infra_id);
    expect(second.provider).toBe('sim-backup');
    await rig.forceState(second.im_infra_id, 'configured');
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.im_infra_id).toBe(second.im_infra_id);
    expect(done.attempts).toHaveLength(2);
    expect(done.attempts[0]).toMatchObject({ provider: 'sim-openstack', im_infra_id: first.im_infra_id, outcome: 'timeout' });
    expect(done.attempts[0].error).toMatch(/not configured within 1440 min/);
    expect(done.attempts[1]).toMatchObject({ provider: 'sim-backup', outcome: 'success' });
    await waitGone([first.im_infra_id]);
    expect(await liveIds()).toContain(second.im_infra_id);
  });

  it('times an attempt out even while the IM answers its state reads with 5xx', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id, per_provider_max_retries: 1 });
    const first = await openAttemptWithInfra(id);
    await rig.control('/faults', { method: 'GET', path: `^/infrastructures/${esc(first.im_infra_id)}/state$`, status: 503 });
    await rig.app.deps.db
      .update(deploymentAttempts)
      .set({ startedAt: sql`${deploymentAttempts.startedAt} - interval '2 days'` })
      .where(and(eq(deploymentAttempts.deploymentId, id), eq(deploymentAttempts.seq, first.seq)));

    const second = await openAttemptWithInfra(id, first.im_infra_id);
    expect(second.provider).toBe('sim-backup');
    await rig.forceState(second.im_infra_id, 'configured');
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.attempts.map((a: any) => a.outcome)).toEqual(['timeout', 'success']);
    expect(done.attempts[0].error).toMatch(/not configured within 1440 min/);
    await waitGone([first.im_infra_id]);
  });

  it('fails the deployment once the total timeout has passed, leaving nothing on the IM', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id, tot_timeout_mins: 30 });
    const open = await openAttemptWithInfra(id);
    await rig.app.deps.db.update(deployments).set({ deadlineAt: new Date(Date.now() - 60_000) }).where(eq(deployments.id, id));
    const failed = await rig.waitStatus(id, ['CREATE_FAILED', 'CREATE_COMPLETE']);
    expect(failed.status_name).toBe('CREATE_FAILED');
    expect(failed.status_reason).toMatch(/total timeout of 30 min/i);
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0]).toMatchObject({ outcome: 'timeout' });
    expect(failed.im_infra_id).toBeNull();
    await waitGone([open.im_infra_id]);
  });

  it('resets a stuck update to UPDATE_FAILED and the running job does not overwrite it', async () => {
    const { id, infra } = await completed();
    await rig.control('/faults', { method: 'POST', path: `^/infrastructures/${esc(infra)}$`, status: 503 });
    const patch = await rig.app.call('PATCH', `/api/v1/deployments/${id}`, { token: rig.alice, json: { template_inputs: { vm_count: 2 } } });
    expect(patch.status).toBe(202);
    expect((await get(id)).status_name).toBe('UPDATE_IN_PROGRESS');
    // Let the job hit the refusing IM at least once.
    await until('the update to reach the IM', async () => {
      const body = (await (await rig.control(`/requests?path=${encodeURIComponent(`^/infrastructures/${esc(infra)}$`)}`)).json()) as { requests: Array<{ method: string }> };
      return body.requests.some((r) => r.method === 'POST') ? true : undefined;
    });
    expect((await get(id)).status_name).toBe('UPDATE_IN_PROGRESS');
    const reset = await rig.app.call('POST', `/api/v1/deployments/${id}/reset-status`, { token: rig.alice });
    expect(reset.status).toBe(202);
    expect((await get(id)).status_name).toBe('UPDATE_FAILED');
    await fetch(`${rig.sim.url}/__sim/faults`, { method: 'DELETE' });
    await sleep(800);
    const after = await get(id);
    expect(after.status_name).toBe('UPDATE_FAILED');
    expect(after.status_reason).toMatch(/reset/);
  });

  it('fails an update the IM keeps answering 5xx once its deadline has passed', async () => {
    const { id, infra } = await completed();
    await rig.control('/faults', { method: 'POST', path: `^/infrastructures/${esc(infra)}$`, status: 503 });
    const patch = await rig.app.call('PATCH', `/api/v1/deployments/${id}`, { token: rig.alice, json: { template_inputs: { vm_count: 2 } } });
    expect(patch.status).toBe(202);
    await sleep(100);
    expect((await get(id)).status_name).toBe('UPDATE_IN_PROGRESS');
    await rig.app.deps.db.update(deployments).set({ deadlineAt: new Date(Date.now() - 60_000) }).where(eq(deployments.id, id));
    const failed = await rig.waitStatus(id, ['UPDATE_FAILED', 'UPDATE_COMPLETE'], rig.alice, 10_000);
    expect(failed.status_name).toBe('UPDATE_FAILED');
    expect(failed.status_reason).toMatch(/in time/);
    expect(failed.status_reason).toMatch(/503/);
    expect(await liveIds()).toContain(infra);
  });

  it('resets a stuck delete to DELETE_FAILED; deleting again then completes', async () => {
    const { id, infra } = await completed();
    await rig.control('/faults', { method: 'DELETE', path: `^/infrastructures/${esc(infra)}$`, status: 503 });
    const del = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(del.status).toBe(202);
    await sleep(200);
    expect((await get(id)).status_name).toBe('DELETE_IN_PROGRESS');
    const reset = await rig.app.call('POST', `/api/v1/deployments/${id}/reset-status`, { token: rig.alice });
    expect(reset.status).toBe(202);
    const failed = await get(id);
    expect(failed.status_name).toBe('DELETE_FAILED');
    expect(failed.status_reason).toMatch(/reset/);
    await fetch(`${rig.sim.url}/__sim/faults`, { method: 'DELETE' });
    await sleep(300);
    expect((await get(id)).status_name).toBe('DELETE_FAILED');
    const again = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(again.status).toBe(202);
    const gone = await rig.waitStatus(id, ['DELETE_COMPLETE', 'DELETE_FAILED']);
    expect(gone.status_name, gone.status_reason).toBe('DELETE_COMPLETE');
    expect(await liveIds()).not.toContain(infra);
  });

  it('fails a delete the IM keeps answering 5xx once its deadline has passed', async () => {
    const { id, infra } = await completed();
    // Both the listing of the deployment's infrastructures and the destroy answer 503.
    await rig.control('/faults', { path: '^/infrastructures$', method: 'GET', status: 503 });
    await rig.control('/faults', { path: `^/infrastructures/${esc(infra)}$`, method: 'DELETE', status: 503 });
    const del = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(del.status).toBe(202);
    await sleep(100);
    expect((await get(id)).status_name).toBe('DELETE_IN_PROGRESS');
    await rig.app.deps.db.update(deployments).set({ deadlineAt: new Date(Date.now() - 60_000) }).where(eq(deployments.id, id));
    const failed = await rig.waitStatus(id, ['DELETE_FAILED', 'DELETE_COMPLETE'], rig.alice, 10_000);
    expect(failed.status_name).toBe('DELETE_FAILED');
    expect(failed.status_reason).toMatch(/in time/);
    expect(await liveIds()).toContain(infra);
  });

  it('ends DELETE_FAILED with the IM’s reason when it refuses a delete; an admin unsecure delete completes', async () => {
    const { id, infra } = await completed();
    await rig.control('/faults', { method: 'DELETE', path: `^/infrastructures/${esc(infra)}$`, status: 400, body: 'Infrastructure is locked by the site admins' });
    const del = await rig.app.call('DELETE', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(del.status).toBe(202);
    const failed = await rig.waitStatus(id, ['DELETE_FAILED', 'DELETE_COMPLETE']);
    expect(failed.status_name).toBe('DELETE_FAILED');
    expect(failed.status_reason).toContain(infra);
    expect(failed.status_reason).toContain('Infrastructure is locked by the site admins');

    const notAdmin = await rig.app.call('DELETE', `/api/v1/deployments/${id}?unsecure=true`, { token: rig.alice });
    expect(notAdmin.status).toBe(403);
    const unsecure = await rig.app.call('DELETE', `/api/v1/deployments/${id}?unsecure=true`, { token: rig.root });
    expect(unsecure.status).toBe(202);
    const gone = await rig.waitStatus(id, ['DELETE_COMPLETE', 'DELETE_FAILED'], rig.root);
    expect(gone.status_name, gone.status_reason).toBe('DELETE_COMPLETE');
    const rs = await rig.app.deps.db.select().from(resources).where(eq(resources.deploymentId, id));
    expect(rs.length).toBeGreaterThan(0);
    expect(rs.every((r) => r.status === RESOURCE_STATUS.DELETED)).toBe(true);
  });

  it('fails the create clearly when the token is about to expire and cannot be refreshed', async () => {
    const token = await rig.app.token('alice', { expiresInSec: 120, groups: ['users', 'physics'] });
    const template_id = await rig.templateId();
    const before = await liveIds();
    const id = await rig.deploy({ template_id }, token);
    const failed = await rig.waitStatus(id, ['CREATE_FAILED', 'CREATE_COMPLETE'], rig.alice);
    expect(failed.status_name).toBe('CREATE_FAILED');
    expect(failed.status_reason).toMatch(/token/);
    expect(failed.status_reason).toMatch(/no refresh token is stored/);
    // One attempt recorded, not one per provider.
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0].outcome).toBe('error');
    expect((await liveIds()).filter((i) => !before.includes(i))).toEqual([]);
  });
});
