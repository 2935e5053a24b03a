import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
beforeAll(async () => {
  // Calls give up after 300 ms; after an unknown outcome the worker waits 1 s before looking again.
  rig = await startDeploymentRig({ env: { IM_TIMEOUT_MS: '300', IM_POLL_MAX_MS: '1000' } });
}, 60_000);
afterAll(async () => rig?.close());

async function creates(): Promise<number> {
  const body = (await (await rig.control('/requests?path=' + encodeURIComponent('^/infrastructures$'))).json()) as { requests: Array<{ method: string }> };
  return body.requests.filter((r) => r.method === 'POST').length;
}

describe('a create whose outcome the IM leaves unknown', () => {
  it('adopts the infrastructure the IM created although the call timed out, never creating a second', async () => {
    const template_id = await rig.templateId();
    await rig.control('/faults', { method: 'POST', path: '^/infrastructures$', delayMs: 2_000, times: 1 });
    const before = await creates();
    const id = await rig.deploy({ template_id });
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.attempts).toHaveLength(1);
    expect(await creates()).toBe(before + 1);
    const lines = await rig.waitLog(id, [/create outcome unknown/, /adopted infrastructure/]);
    expect(lines).toMatch(/create outcome unknown/);
    expect(lines).toMatch(/adopted infrastructure/);
    const live = (await rig.liveInfras()).map((i) => i.id);
    expect(live).toEqual([done.im_infra_id]);
  });

  it('creates again when the 5xx left nothing behind, still with one live infrastructure', async () => {
    const template_id = await rig.templateId({ count: 1, scenario: 'ok' });
    const before = new Set((await rig.liveInfras()).map((i) => i.id));
    await rig.control('/faults', { method: 'POST', path: '^/infrastructures$', status: 503, times: 1 });
    const id = await rig.deploy({ template_id });
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.attempts).toHaveLength(1);
    const fresh = (await rig.liveInfras()).map((i) => i.id).filter((i) => !before.has(i));
    expect(fresh).toEqual([done.im_infra_id]);
  });
});
