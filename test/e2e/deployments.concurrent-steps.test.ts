import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeferJob } from '../../src/queue/processor.js';
import { runCreate } from '../../workers/deployments/create.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

// No worker pool: the test runs the create steps itself, two at once, as two workers would after a job was put back.
let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig({ workers: false });
}, 60_000);
afterAll(async () => rig?.close());

/** One step; a step that waits on the IM ends in DeferJob. */
const step = (id: string) => runCreate(rig.app.deps, id, 1).then(() => 'final', (err) => (err instanceof DeferJob ? 'deferred' : Promise.reject(err)));

describe('two runs of the same create step at once', () => {
  it('keep one infrastructure: the run whose infrastructure was not recorded destroys its own', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const before = new Set((await rig.liveInfras()).map((i) => i.id));
    const id = await rig.deploy({ template_id });
    // Both runs look the attempt's tag up before either has created anything.
    expect((await rig.control('/faults', { method: 'GET', path: '^/infrastructures$', delayMs: 300, times: 2 })).status).toBe(201);
    expect(await Promise.all([step(id), step(id)])).toEqual(['deferred', 'deferred']);
    const created = (await (await fetch(`${rig.sim.url}/__sim/requests?path=^/infrastructures$`)).json()) as { requests: Array<{ method: string }> };
    expect(created.requests.filter((r) => r.method === 'POST')).toHaveLength(2);

    const d = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(d.body.attempts).toHaveLength(1);
    const recorded = d.body.attempts[0].im_infra_id as string;
    const until = Date.now() + 5_000;
    let live = (await rig.liveInfras()).map((i) => i.id).filter((i) => !before.has(i));
    while (live.length > 1 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 25));
      live = (await rig.liveInfras()).map((i) => i.id).filter((i) => !before.has(i));
    }
    expect(live).toEqual([recorded]);

    await rig.forceState(recorded, 'configured');
    const deadline = Date.now() + 20_000;
    while ((await step(id)) !== 'final' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.im_infra_id).toBe(recorded);
  }, 60_000);
});
