import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig({ env: { LOG_FLUSH_MS: '20', LOG_MAX_LINES_PER_DEPLOYMENT: '40', IM_LOG_SNAPSHOT_MS: '50' } });
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

const logsOf = (id: string, token: string, query = '', spelling = 'deployments') => rig.app.call('GET', `/api/v1/${spelling}/${id}/logs${query}`, { token });

/** Polls the logs until `done` holds (lines travel through the log-ingest queue). */
async function logsWhen(id: string, done: (body: any) => boolean, token = rig.alice, query = ''): Promise<any> {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await logsOf(id, token, query);
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > until) throw new Error(`logs never matched: ${JSON.stringify(res.body).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

async function completed(): Promise<string> {
  const id = await rig.deploy({ template_id: await rig.templateId() });
  await rig.waitStatus(id, ['CREATE_COMPLETE']);
  return id;
}

describe('deployment logs', () => {
  it('hold the orchestrator steps in order and the IM contextualization log of the deployment', async () => {
    const id = await completed();
    const body = await logsWhen(id, (b) => /deployment complete/.test(b.orchestrator_logs ?? '') && /successfully finished/.test(b.im_logs ?? ''));
    expect(Object.keys(body).sort()).toEqual(['im_logs', 'orchestrator_logs', 'timestamp']);
    const lines = (body.orchestrator_logs as string).split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z attempt 1: deploying on /);
    expect(lines.findIndex((l) => / IM infrastructure .* created$/.test(l))).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/deployment complete$/);
    const stamps = lines.map((l) => Date.parse(l.slice(0, 24)));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(stamps.at(-1)!);
    expect(body.im_logs).toContain('Contextualization process successfully finished.');
    expect(body.im_logs).toContain('VM 0:');
    const link = (await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice })).body.links.logs as string;
    const followed = await fetch(link, { headers: { authorization: `Bearer ${rig.alice}` } });
    expect(followed.status).toBe(200);
    expect(((await followed.json()) as { orchestrator_logs: string }).orchestrator_logs).toBe(body.orchestrator_logs);
  });

  it('answer on the singular spelling of the spec too', async () => {
    const id = await completed();
    const plural = await logsWhen(id, (b) => /deployment complete/.test(b.orchestrator_logs ?? ''));
    const singular = await logsOf(id, rig.alice, '', 'deployment');
    expect(singular.status).toBe(200);
    expect(singular.body.orchestrator_logs).toBe(plural.orchestrator_logs);
  });

  it('window the orchestrator lines with tail and since', async () => {
    const id = await completed();
    const full = await logsWhen(id, (b) => /deployment complete/.test(b.orchestrator_logs ?? ''));
    const lines = (full.orchestrator_logs as string).split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect((await logsOf(id, rig.alice, '?tail=1')).body.orchestrator_logs).toBe(lines.at(-1));
    expect((await logsOf(id, rig.alice, '?tail=2')).body.orchestrator_logs).toBe(lines.slice(-2).join('\n'));
    const firstStamp = lines[0].slice(0, 24);
    const since = (await logsOf(id, rig.alice, `?since=${encodeURIComponent(firstStamp)}`)).body.orchestrator_logs as string;
    expect(since.split('\n')).toEqual(lines.filter((l) => l.slice(0, 24) > firstStamp));
    const future = await logsOf(id, rig.alice, `?since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future.body.orchestrator_logs).toBeNull();
    expect(future.body.im_logs).toContain('VM 0:');
  });

  it('reject bad windows with 422 and unknown parameters like every other endpoint, naming the field', async () => {
    const id = await completed();
    for (const [query, field] of [
      ['?tail=0', 'tail'],
      ['?tail=abc', 'tail'],
      ['?tail=100001', 'tail'],
      ['?since=yesterday', 'since'],
    ]) {
      const res = await logsOf(id, rig.alice, query);
      expect(res.status, query).toBe(422);
      expect(JSON.stringify(res.body.errors), query).toContain(field);
    }
    const unknown = await logsOf(id, rig.alice, '?level=debug');
    expect(unknown.status).toBe((await rig.app.call('GET', `/api/v1/deployments/${id}/resources?level=debug`, { token: rig.alice })).status);
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(unknown.body)).toContain('level');
  });

  it('are shown to owners and admins only; other users learn nothing', async () => {
    const id = await completed();
    expect((await logsOf(id, rig.bob)).status).toBe(404);
    expect((await logsOf(id, rig.root)).status).toBe(200);
    expect((await rig.app.call('GET', `/api/v1/deployments/${id}/logs`)).status).toBe(401);
    expect((await logsOf(crypto.randomUUID(), rig.alice)).status).toBe(404);
    expect((await logsOf('not-a-uuid', rig.alice)).status).toBe(422);
  });

  it('are deleted by admins only, on either spelling; new lines start a fresh log', async () => {
    const id = await completed();
    await logsWhen(id, (b) => /deployment complete/.test(b.orchestrator_logs ?? '') && b.im_logs !== null);
    expect((await rig.app.call('DELETE', `/api/v1/deployments/${id}/logs`, { token: rig.alice })).status).toBe(403);
    expect((await rig.app.call('DELETE', `/api/v1/deployments/${id}/logs`, { token: rig.bob })).status).toBe(404);
    expect((await logsOf(id, rig.alice)).body.orchestrator_logs).not.toBeNull();
    const del = await rig.app.call('DELETE', `/api/v1/deployment/${id}/logs`, { token: rig.root });
    expect(del.status).toBe(204);
    const after = await logsOf(id, rig.alice);
    expect(after.body).toMatchObject({ im_logs: null, orchestrator_logs: null });
    expect((await rig.app.call('DELETE', `/api/v1/deployments/${id}/logs`, { token: rig.root })).status).toBe(204);
    rig.app.deps.logs.publish(id, 'a line after the delete');
    const fresh = await logsWhen(id, (b) => b.orchestrator_logs !== null);
    expect(fresh.orchestrator_logs).toMatch(/a line after the delete$/);
  });

  it('stop at the per-deployment cap with one truncation marker', async () => {
    const id = await completed();
    await logsWhen(id, (b) => /deployment complete/.test(b.orchestrator_logs ?? ''));
    for (let i = 0; i < 100; i++) rig.app.deps.logs.publish(id, `flood ${i}`);
    await rig.app.deps.logs.flush();
    const body = await logsWhen(id, (b) => /log truncated/.test(b.orchestrator_logs ?? ''));
    await new Promise((r) => setTimeout(r, 200));
    const lines = ((await logsOf(id, rig.alice)).body.orchestrator_logs as string).split('\n');
    expect(lines).toHaveLength(41);
    expect(lines.filter((l) => /log truncated/.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/log truncated: this deployment reached its limit of 40/);
    expect(body.orchestrator_logs).not.toContain('flood 99');
    rig.app.deps.logs.publish(id, 'one more');
    await rig.app.deps.logs.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(((await logsOf(id, rig.alice)).body.orchestrator_logs as string).split('\n')).toHaveLength(41);
  });

  it('keep the IM log of a failed attempt after its infrastructure is destroyed', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId({ scenario: 'unconfigured' }), max_providers: 1, per_provider_max_retries: 1 });
    await rig.waitStatus(id, ['CREATE_FAILED']);
    const body = await logsWhen(id, (b) => /deployment failed/.test(b.orchestrator_logs ?? '') && b.im_logs !== null);
    expect(body.im_logs).toContain('Ansible playbook failed');
    const [attempt] = (await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice })).body.attempts;
    expect(attempt.im_infra_id).toBeTruthy();
    expect((await rig.liveInfras()).map((i) => i.id)).not.toContain(attempt.im_infra_id);
  });
});
