import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

// "Every provider fails" and "keep_last_attempt keeps only the last" are covered by deployments.lifecycle.test.ts.

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => rig?.close());
afterEach(async () => {
  await fetch(`${rig.sim.url}/__sim/faults`, { method: 'DELETE' });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const liveIds = async () => (await rig.liveInfras()).map((i) => i.id);

/** The infrastructure of the deployment's current attempt once it exists (other than `not`). */
async function waitForInfra(id: string, not?: string): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.root });
    const infra = res.body.im_infra_id;
    if (infra && infra !== not) return infra;
    if (Date.now() > until) throw new Error(`no infrastructure for ${id}: ${res.body.status_name} ${res.body.status_reason}`);
    await sleep(20);
  }
}

/** Lets the newest live infrastructure not in `before` show up in the simulator's list. */
async function newInfras(before: Set<string>, count: number): Promise<string[]> {
  const until = Date.now() + 5_000;
  for (;;) {
    const fresh = (await liveIds()).filter((i) => !before.has(i));
    if (fresh.length === count || Date.now() > until) return fresh;
    await sleep(20);
  }
}

interface FaultKind {
  name: string;
  /** Set up before the deploy (so the worker cannot get ahead of it). */
  arm?(): Promise<void>;
  /** Breaks the first provider; returns its infrastructure, if it got one. */
  breakFirst(id: string): Promise<string | undefined>;
  /** What the first attempt records. */
  outcome: string;
  error: RegExp;
}

const kinds: FaultKind[] = [
  {
    name: 'the IM refuses the create',
    async arm() {
      await rig.control('/faults', { method: 'POST', path: '^/infrastructures$', status: 400, body: 'Unknown image on this site', times: 1 });
    },
    async breakFirst() {
      return undefined;
    },
    outcome: 'error',
    error: /HTTP 400.*Unknown image on this site/,
  },
  {
    name: 'the infrastructure ends failed',
    async breakFirst(id) {
      const infra = await waitForInfra(id);
      await rig.forceState(infra, 'failed');
      return infra;
    },
    outcome: 'failed',
    error: /reports the infrastructure failed/,
  },
  {
    name: 'the infrastructure ends unconfigured',
    async breakFirst(id) {
      const infra = await waitForInfra(id);
      await rig.forceState(infra, 'unconfigured');
      return infra;
    },
    outcome: 'failed',
    error: /reports the infrastructure unconfigured/,
  },
  {
    name: 'state reads answer 403 persistently',
    async breakFirst(id) {
      const infra = await waitForInfra(id);
      await rig.control('/faults', { method: 'GET', path: `^/infrastructures/${esc(infra)}/state$`, status: 403, body: 'Access to this infrastructure is not granted.' });
      return infra;
    },
    outcome: 'error',
    error: /HTTP 403.*not granted/,
  },
  {
    name: 'the infrastructure disappears (state reads 404)',
    async breakFirst(id) {
      const infra = await waitForInfra(id);
      await rig.control('/faults', { method: 'GET', path: `^/infrastructures/${esc(infra)}/state$`, status: 404 });
      return infra;
    },
    outcome: 'error',
    error: /disappeared from the IM/,
  },
];

describe('failover to the next provider', () => {
  it.each(kinds)('when $name, completes on the second provider and destroys the first infrastructure', async (kind) => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const before = new Set(await liveIds());
    await kind.arm?.();
    const id = await rig.deploy({ template_id, per_provider_max_retries: 1 });
    const first = await kind.breakFirst(id);
    const second = await waitForInfra(id, first);
    await rig.forceState(second, 'configured');
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.im_infra_id).toBe(second);
    expect(done.attempts.map((a: any) => [a.provider, a.outcome])).toEqual([
      ['sim-openstack', kind.outcome],
      ['sim-backup', 'success'],
    ]);
    expect(done.attempts[0].error).toMatch(kind.error);
    expect(done.attempts[0].im_infra_id ?? undefined).toBe(first);
    expect(done.attempts[1].im_infra_id).toBe(second);
    // Only the second provider's infrastructure is left on the IM.
    expect(await newInfras(before, 1)).toEqual([second]);
  });
});
