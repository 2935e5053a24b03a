import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImAuthHeader } from '../../src/im/auth-header.js';
import { fakeJwt, fakePassword, fakePrivateKey } from '../../src/im/simulator/fake-secrets.js';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';
import { openSse } from '../helpers/sse-client.js';
import { singleNodeTemplate } from '../im/templates.js';

/** A secret the user plants in a template input: it must never come back. */
const PLANTED = 'Planted-Input-Secret-7Q2x';

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig({ env: { LOG_FLUSH_MS: '20', IM_LOG_SNAPSHOT_MS: '50', OIDC_CLIENT_ID: 'orchestrator' } });
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

/** Any compact JWS: access tokens (the user's, or one the worker refreshed) must never be shown or logged. */
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/;

describe('secrets of a whole lifecycle, v1 and legacy', () => {
  it('appear in no response, stored row, event or service log line from create to delete', async () => {
    const planted = { v1: 'Planted-V1-Secret-5Kp9', legacy: 'Planted-Legacy-Secret-3Vw8' };
    // Valid for less than the refresher's margin: the worker must trade the planted refresh token for a new one.
    const alice = await rig.app.token('alice', { groups: ['users', 'physics'], expiresInSec: 200 });
    const refreshToken = rig.app.issuer.mintRefreshToken('alice', { groups: ['users', 'physics'] });
    const answers: string[] = [];
    const call = async (method: string, path: string, o: { json?: unknown; token?: string | null; expect?: number[] } = {}) => {
      const res = await rig.app.call(method, path, { token: o.token === null ? undefined : (o.token ?? alice), json: o.json });
      expect(o.expect ?? [200], `${method} ${path}: ${JSON.stringify(res.body)}`).toContain(res.status);
      // The request line is ours (it may carry the token as access_token): only what came back is searched.
      answers.push(`${method} ${path.split('?')[0]} ${res.status} ${JSON.stringify([...res.headers])} ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`);
      return res;
    };

    expect((await call('PATCH', `/api/v1/users/${rig.aliceId}`, { json: { refresh_token: refreshToken }, expect: [204] })).status).toBe(204);
    expect((await call('GET', `/api/v1/users/${rig.aliceId}`)).body.refresh_token).toBe('*****');
    const events = await openSse(`${rig.app.url}/api/v1/events?owned_by=me`, { token: alice });
    await events.next((m) => m.event === 'ready');

    // v1: create, read everything, update, delete.
    const templateId = await rig.templateId({ count: 1 });
    const v1 = (await call('POST', '/api/v1/deployments', { json: { template_id: templateId, template_inputs: { admin_password: planted.v1 } }, expect: [202] })).body.id as string;
    const v1Infra = (await rig.waitStatus(v1, ['CREATE_COMPLETE'], alice)).im_infra_id as string;
    const until = Date.now() + 15_000;
    while (!/successfully finished/.test((await rig.app.call('GET', `/api/v1/deployments/${v1}/logs`, { token: alice })).body.im_logs ?? '')) {
      if (Date.now() > until) throw new Error('the IM log never arrived');
      await new Promise((r) => setTimeout(r, 30));
    }
    const v1Resources = (await call('GET', `/api/v1/deployments/${v1}/resources`)).body.data as Array<{ id: string; im_vm_idx: string | null }>;
    for (const r of v1Resources) await call('GET', `/api/v1/deployments/${v1}/resources/${r.id}`);
    for (const path of [`/api/v1/deployments/${v1}`, '/api/v1/deployments?owned_by=me', `/api/v1/deployments/${v1}/logs`]) await call('GET', path);
    await call('PATCH', `/api/v1/deployments/${v1}`, { json: { template_inputs: { vm_count: 2, admin_password: planted.v1 } }, expect: [200, 202] });
    await rig.waitStatus(v1, ['UPDATE_COMPLETE'], alice);
    const v1VmIds = ((await call('GET', `/api/v1/deployments/${v1}/resources`)).body.data as Array<{ im_vm_idx: string | null }>)
      .map((r) => r.im_vm_idx)
      .filter((v): v is string => v !== null);
    expect(v1VmIds.length).toBeGreaterThanOrEqual(2);
    const v1Secrets = simulatorSecrets(v1Infra, v1VmIds);
    const v1Raw = [await rawIm(v1Infra, '/contmsg'), ...(await Promise.all(v1VmIds.map((vm) => rawIm(v1Infra, `/vms/${vm}`))))].join('\n');

    // Legacy: create inline with the token in the query (as old clients do), read, update, delete.
    const template = singleNodeTemplate({ count: 1 });
    const legacy = (await call('POST', `/deployments?access_token=${alice}`, { token: null, json: { template, parameters: { admin_password: planted.legacy } }, expect: [201] })).body.uuid as string;
    const legacyInfra = (await rig.waitStatus(legacy, ['CREATE_COMPLETE'], alice)).im_infra_id as string;
    const legacyResources = (await call('GET', `/deployments/${legacy}/resources`)).body.content as Array<{ uuid: string }>;
    expect(legacyResources.length).toBeGreaterThan(0);
    for (const r of legacyResources) await call('GET', `/deployments/${legacy}/resources/${r.uuid}`);
    for (const path of ['/deployments', `/deployments/${legacy}`, `/deployments/${legacy}/template`, `/deployments/${legacy}/extrainfo`, `/deployments/${legacy}/log`]) {
      await call('GET', path);
    }
    await call('GET', `/deployments/${legacy}?access_token=${alice}`, { token: null });
    await call('PUT', `/deployments/${legacy}`, { json: { template, parameters: { admin_password: planted.legacy, vm_count: 1 } }, expect: [202] });
    await rig.waitStatus(legacy, ['UPDATE_COMPLETE'], alice);
    const legacyVmIds = ((await call('GET', `/api/v1/deployments/${legacy}/resources`)).body.data as Array<{ im_vm_idx: string | null }>)
      .map((r) => r.im_vm_idx)
      .filter((v): v is string => v !== null);
    const legacySecrets = simulatorSecrets(legacyInfra, legacyVmIds);

    await call('DELETE', `/api/v1/deployments/${v1}`, { expect: [202, 204] });
    await call('DELETE', `/deployments/${legacy}`, { expect: [204] });
    await Promise.all([rig.waitStatus(v1, ['DELETE_COMPLETE'], alice), rig.waitStatus(legacy, ['DELETE_COMPLETE'], alice)]);
    for (const id of [v1, legacy]) {
      await call('GET', `/api/v1/deployments/${id}`);
      await call('GET', `/api/v1/deployments/${id}/logs`);
    }
    await events.next((m) => m.event === 'status' && JSON.parse(m.data ?? '{}').id === legacy && JSON.parse(m.data ?? '{}').status_name === 'DELETE_COMPLETE');
    events.close();
    await rig.app.deps.logs.flush();

    // Each planted secret really went through the system: otherwise finding none of them would prove nothing.
    expect(rig.app.issuer.tokenRequests().some((r) => r.form.refresh_token === refreshToken)).toBe(true);
    for (const s of v1Secrets) expect(v1Raw, s).toContain(s);
    const storedInputs = JSON.stringify(await rig.app.database.db.execute(sql`select template_inputs from deployments where id in (${v1}, ${legacy})`));
    expect(storedInputs).toContain(planted.v1);
    expect(storedInputs).toContain(planted.legacy);

    const rows = async (query: ReturnType<typeof sql>) => JSON.stringify(await rig.app.database.db.execute(query));
    const haystacks = {
      answers: answers.join('\n'),
      events: JSON.stringify(events.messages),
      'stored deployments': await rows(sql`select to_jsonb(d) - 'template_inputs' as row from deployments d where id in (${v1}, ${legacy})`),
      'stored resources': await rows(sql`select to_jsonb(r) as row from resources r where deployment_id in (${v1}, ${legacy})`),
      'stored log lines': await rows(sql`select line from deployment_logs where deployment_id in (${v1}, ${legacy})`),
      'stored user': await rows(sql`select to_jsonb(u) as row from users u where id = ${rig.aliceId}`),
      'service log': rig.app.logger.text(),
    };
    const secrets = [planted.v1, planted.legacy, refreshToken, alice, rig.alice, ...v1Secrets, ...legacySecrets];
    for (const [where, text] of Object.entries(haystacks)) {
      for (const s of secrets) expect(text.includes(s), `${where} holds ${s.slice(0, 12)}…`).toBe(false);
      expect(JWT.exec(text)?.[0], `${where} holds a JWT`).toBeUndefined();
    }
    expect(haystacks.events).toContain('DELETE_COMPLETE');
    expect(haystacks.answers).toContain('Contextualization process successfully finished.');
    expect(haystacks['stored log lines']).toContain('*****');
  });
});
