import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImAuthHeader } from '../../src/im/auth-header.js';
import { fakeJwt, fakePassword, fakePrivateKey } from '../../src/im/simulator/fake-secrets.js';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';

/** A secret the user plants in a template input: it must never come back. */
const PLANTED = 'Planted-Input-Secret-7Q2x';

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig({ env: { LOG_FLUSH_MS: '20', IM_LOG_SNAPSHOT_MS: '50' } });
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

/** What the simulator's IM says about an infrastructure, unredacted, as the orchestrator receives it. */
async function rawIm(infId: string, path: string): Promise<string> {
  const auth = buildImAuthHeader({ username: 'orchestrator', password: 'orchestrator' }, [], 'unused');
  const res = await fetch(`${rig.sim.url}/infrastructures/${infId}${path}`, { headers: { authorization: auth, accept: 'text/plain' } });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The secrets the simulator plants for each VM, in its RADL and its contextualization log. */
function simulatorSecrets(infId: string, vmIds: string[]): string[] {
  return vmIds.flatMap((vm) => {
    const seed = `${infId}/${vm}`;
    const keyBody = fakePrivateKey(seed).split('\n')[1];
    return [fakePassword(seed), fakePassword(`${seed}/db`), fakeJwt(seed), keyBody];
  });
}

describe('secrets of a deployment', () => {
  it('never appear in an API response, a stored log line or the log of the service', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId({ count: 2 }), template_inputs: { admin_password: PLANTED } });
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE']);
    const infId = done.im_infra_id as string;
    const update = await rig.app.call('PATCH', `/api/v1/deployments/${id}`, { token: rig.alice, json: { template_inputs: { vm_count: 2 } } });
    expect([200, 202]).toContain(update.status);
    await rig.waitStatus(id, ['UPDATE_COMPLETE', 'CREATE_COMPLETE']);
    const until = Date.now() + 15_000;
    while (!/successfully finished/.test((await rig.app.call('GET', `/api/v1/deployments/${id}/logs`, { token: rig.alice })).body.im_logs ?? '')) {
      if (Date.now() > until) throw new Error('the IM log never arrived');
      await new Promise((r) => setTimeout(r, 30));
    }
    await rig.app.deps.logs.flush();

    const vmIds = ((await rig.app.call('GET', `/api/v1/deployments/${id}/resources`, { token: rig.alice })).body.data as any[])
      .map((r) => r.im_vm_idx)
      .filter((v): v is string => v !== null);
    expect(vmIds).toHaveLength(2);
    const secrets = [PLANTED, ...simulatorSecrets(infId, vmIds), rig.alice];

    // The sources really carry every secret: otherwise this test would prove nothing.
    const raw = [await rawIm(infId, '/contmsg'), ...(await Promise.all(vmIds.map((vm) => rawIm(infId, `/vms/${vm}`))))].join('\n');
    for (const s of secrets.slice(0, -1)) expect(raw, s).toContain(s);

    const paths = [
      `/api/v1/deployments/${id}`,
      `/api/v1/deployments?owned_by=me`,
      `/api/v1/deployments/${id}/resources`,
      `/api/v1/deployments/${id}/logs`,
      `/api/v1/deployment/${id}/logs`,
    ];
    const resources = (await rig.app.call('GET', `/api/v1/deployments/${id}/resources`, { token: rig.alice })).body.data as any[];
    paths.push(...resources.map((r) => `/api/v1/deployments/${id}/resources/${r.id}`));
    const answers: string[] = [];
    for (const token of [rig.alice, rig.root]) {
      for (const path of paths) {
        const res = await rig.app.call('GET', path, { token });
        expect(res.status, path).toBe(200);
        answers.push(JSON.stringify(res.body));
      }
    }
    const stored = (await rig.app.database.db.execute(sql`select line from deployment_logs where deployment_id = ${id}`)) as unknown as Array<{ line: string }>;
    expect(stored.length).toBeGreaterThan(3);
    const storedRows = (await rig.app.database.db.execute(
      sql`select template_outputs, status_reason from deployments where id = ${id} union all select metadata, status_reason from resources where deployment_id = ${id}`,
    )) as unknown as unknown[];

    const haystacks = { answers: answers.join('\n'), 'stored log lines': stored.map((r) => r.line).join('\n'), 'stored rows': JSON.stringify(storedRows), 'service log': rig.app.logger.text() };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const s of secrets) expect(text.includes(s), `${where} holds ${s.slice(0, 12)}…`).toBe(false);
    }
    expect(haystacks['stored log lines']).toContain('*****');
    expect(haystacks.answers).toContain('Contextualization process successfully finished.');
  });
});
