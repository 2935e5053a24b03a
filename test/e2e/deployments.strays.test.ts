import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => rig?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForInfra(id: string, not?: string): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice });
    const infra = res.body.im_infra_id;
    if (infra && infra !== not) return infra;
    if (Date.now() > until) throw new Error(`no infrastructure for ${id}: ${res.body.status_name} ${res.body.status_reason}`);
    await sleep(20);
  }
}

describe('a create that ends', () => {
  it('destroys a failed attempt whose destroy the IM refused, so only the completed infrastructure stays', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const before = new Set((await rig.liveInfras()).map((i) => i.id));
    const id = await rig.deploy({ template_id });
    const first = await waitForInfra(id);
    // The destroy of the failed attempt is refused once; the attempt is left not cleaned up.
    expect((await rig.control('/faults', { method: 'DELETE', path: `^/infrastructures/${first}$`, status: 400, body: 'Error destroying the infrastructure', times: 1 })).status).toBe(201);
    await rig.forceState(first, 'failed');
    const second = await waitForInfra(id, first);
    const refused = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(refused.body.attempts[0]).toMatchObject({ im_infra_id: first, outcome: 'failed' });
    await rig.forceState(second, 'configured');

    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.im_infra_id).toBe(second);
    // The async destroy takes the simulator a moment.
    const until = Date.now() + 5_000;
    let live = (await rig.liveInfras()).map((i) => i.id).filter((i) => !before.has(i));
    while (live.length > 1 && Date.now() < until) {
      await sleep(25);
      live = (await rig.liveInfras()).map((i) => i.id).filter((i) => !before.has(i));
    }
    expect(live).toEqual([second]);
    expect(await rig.waitLog(id, [/destroyed stray infrastructure/])).toContain(`destroyed stray infrastructure ${first}`);
  }, 60_000);
});
