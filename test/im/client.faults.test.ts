import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImError } from '../../src/im/errors.js';
import type { ImCallContext } from '../../src/im/types.js';
import { ctx, makeToken, OST, START_MS, startHarness, type SimHarness } from './fixtures.js';
import { singleNodeTemplate } from './templates.js';

let h: SimHarness;
let rnd = 0.99;
const c: ImCallContext = ctx();
const created: string[] = [];

beforeAll(async () => {
  h = await startHarness({ random: () => rnd });
});

afterEach(async () => {
  rnd = 0.99;
  await h.control('/faults', { method: 'DELETE' });
  await h.control('/tokens/expired', { method: 'DELETE' });
  h.clock.advance(1_000);
  for (const id of created.splice(0)) {
    await h.client.destroyInfrastructure(c, id, { force: true, async: false }).catch(() => undefined);
  }
  await h.control('/requests', { method: 'DELETE' });
});

afterAll(async () => {
  await h.sim.close();
});

async function deploy(scenario?: string, opts: { async?: boolean; count?: number; via?: 'header' | 'metadata' } = {}) {
  const viaHeader = opts.via === 'header' && scenario !== undefined;
  const tosca = singleNodeTemplate({ count: opts.count, scenario: viaHeader ? undefined : scenario });
  const callCtx = viaHeader ? { ...c, headers: { 'X-IM-Sim-Scenario': scenario } } : c;
  const { infId } = await h.client.createInfrastructure(callCtx, tosca, { async: opts.async });
  created.push(infId);
  return infId;
}

async function failure(p: Promise<unknown>): Promise<ImError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImError);
  return e as ImError;
}

async function recorded(pathRe: string, method?: string): Promise<number> {
  const res = await h.control(`/requests?path=${encodeURIComponent(pathRe)}`);
  const body = (await res.json()) as { requests: Array<{ method: string }> };
  return body.requests.filter((r) => !method || r.method === method).length;
}

describe('create rejected', () => {
  it('answers a synchronous create whose VMs all fail with invalid/400 and keeps nothing', async () => {
    const before = await h.liveInfraIds();
    const e = await failure(h.client.createInfrastructure(c, singleNodeTemplate({ scenario: 'all-failed' }), { async: false }));
    expect(e).toMatchObject({ kind: 'invalid', status: 400, retryable: false });
    expect(e.imMessage).toMatch(/^Error Creating Inf\.: Error adding VMs: .*Quota exceeded/);
    expect(await h.liveInfraIds()).toEqual(before);
  });

  it('turns an asynchronous create whose VMs all fail into failed with no VMs and the IM log line', async () => {
    const infId = await deploy('all-failed');
    h.clock.advance(500);
    expect(await h.client.getState(c, infId)).toEqual({ state: 'failed', vmStates: {} });
    expect(await h.client.getContmsg(c, infId)).toContain('All VMs failed. No contextualize.');
  });

  it('rejects a TOSCA document it cannot parse with invalid/400', async () => {
    const e = await failure(h.client.createInfrastructure(c, 'tosca_definitions_version: [oops'));
    expect(e).toMatchObject({ kind: 'invalid', status: 400 });
    expect(e.imMessage).toContain('Error Creating Inf.');
  });
});

describe('scenario outcomes (chosen by TOSCA metadata or by header)', () => {
  it('a VM that ends failed makes the whole infrastructure failed, the log carrying the cloud error', async () => {
    const infId = await deploy('vm-failed', { count: 3 });
    h.clock.advance(500);
    const state = await h.client.getState(c, infId);
    expect(state.state).toBe('failed');
    expect(state.vmStates).toEqual({ '0': 'configured', '1': 'configured', '2': 'failed' });
    expect(await h.client.getContmsg(c, infId)).toContain('Error launching the VM');
  });

  it('an infrastructure whose contextualization fails ends unconfigured with the Ansible failure', async () => {
    const infId = await deploy('unconfigured', { via: 'header' });
    h.clock.advance(500);
    expect((await h.client.getState(c, infId)).state).toBe('unconfigured');
    expect(await h.client.getContmsg(c, infId)).toContain('fatal: [server-0]: FAILED!');
  });

  it('stuck in unknown stays unknown', async () => {
    const infId = await deploy('unknown', { via: 'header' });
    h.clock.advance(500);
    expect(await h.client.getState(c, infId)).toEqual({ state: 'unknown', vmStates: { '0': 'unknown' } });
    h.clock.advance(60_000);
    expect((await h.client.getState(c, infId)).state).toBe('unknown');
  });

  it('stuck running stays running until the contextualization cap, then unconfigured', async () => {
    const infId = await deploy('stuck-running');
    h.clock.advance(100_000);
    expect((await h.client.getState(c, infId)).state).toBe('running');
    h.clock.advance(600_000);
    expect((await h.client.getState(c, infId)).state).toBe('unconfigured');
  });

  it('an unknown scenario name is refused at create time', async () => {
    const e = await failure(h.client.createInfrastructure(c, singleNodeTemplate({ scenario: 'no-such-thing' })));
    expect(e).toMatchObject({ kind: 'invalid', status: 400 });
    expect(e.imMessage).toContain('Unknown simulator scenario: no-such-thing');
  });
});

describe('authentication faults', () => {
  const tokenCreds = { credentials: { username: '', password: '', useAccessToken: true } };

  it('reports an IM-line token that expires mid-way as auth (400 on infrastructure routes); a fresh token works', async () => {
    const client = h.clientWith(tokenCreds);
    const first = ctx(makeToken({ sub: 'midway' }));
    const { infId } = await client.createInfrastructure(first, singleNodeTemplate({ scenario: 'token-expired; tokenExpiresAfterSeconds=60' }));
    expect((await client.getState(first, infId)).state).toBe('pending');
    h.clock.advance(60_000);
    const e = await failure(client.getState(first, infId));
    expect(e).toMatchObject({ kind: 'auth', status: 400, retryable: false });
    expect(e.imMessage).toBe('Error Getting Inf. state: Invalid InfrastructureManager credentials. OIDC auth Token expired.');
    const fresh = ctx(makeToken({ sub: 'midway', exp: Math.floor(START_MS / 1000) + 86_400 }));
    expect((await client.getState(fresh, infId)).state).toBe('configured');
    await client.destroyInfrastructure(fresh, infId, { async: false });
  });

  it('reports an expired IM-line token as auth/401 on create and a token marked expired as auth/400 later', async () => {
    const client = h.clientWith(tokenCreds);
    const expired = ctx(makeToken({ exp: Math.floor(START_MS / 1000) - 10 }));
    expect(await failure(client.createInfrastructure(expired, singleNodeTemplate()))).toMatchObject({ kind: 'auth', status: 401 });

    const bob = ctx(makeToken({ sub: 'bob', exp: Math.floor(START_MS / 1000) + 86_400 }));
    const { infId } = await client.createInfrastructure(bob, singleNodeTemplate());
    await h.control('/tokens/expire', { body: { sub: 'bob' } });
    expect(await failure(client.listVms(bob, infId))).toMatchObject({ kind: 'auth', status: 400 });
    await h.control('/tokens/expired', { method: 'DELETE' });
    h.clock.advance(1_000);
    await client.destroyInfrastructure(bob, infId, { async: false });
  });

  it('reports a token that is not a JWT as auth (decode error)', async () => {
    const e = await failure(h.clientWith(tokenCreds).createInfrastructure(ctx('not-a-jwt'), singleNodeTemplate()));
    expect(e).toMatchObject({ kind: 'auth', status: 400 });
    expect(e.imMessage).toContain('Error trying to decode OIDC auth token');
  });

  it('answers 401 "No authentication data provided" without an Authorization header', async () => {
    const res = await fetch(`${h.sim.url}/infrastructures`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'No authentication data provided', code: 401 });
  });

  it('lets only the owner in: another user gets forbidden, as does the forbidden scenario', async () => {
    const infId = await deploy();
    const mallory = h.clientWith({ credentials: { username: 'mallory', password: 'x' } });
    const e = await failure(mallory.getState(c, infId));
    expect(e).toMatchObject({ kind: 'forbidden', status: 403, retryable: false });
    expect(e.imMessage).toContain('Access to this infrastructure not granted.');
    const { infId: locked } = await h.client.createInfrastructure(c, singleNodeTemplate({ scenario: 'forbidden' }));
    expect(await failure(h.client.getOutputs(c, locked))).toMatchObject({ kind: 'forbidden' });
    expect(await failure(h.client.destroyInfrastructure(c, locked))).toMatchObject({ kind: 'forbidden' });
    expect((await h.control(`/infrastructures/${locked}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('turns VMs unknown when the provider token has expired for the grace period, and delete then needs force', async () => {
    const shortLived = ctx(makeToken({ sub: 'carol', exp: Math.floor(START_MS / 1000) + 86_400 }));
    const { infId } = await h.client.createInfrastructure(shortLived, singleNodeTemplate(), { async: false });
    created.push(infId);
    h.clock.advance(500);
    expect((await h.client.getState(shortLived, infId)).state).toBe('configured');
    await h.control('/tokens/expire', { body: { sub: 'carol' } });
    expect((await h.client.getState(shortLived, infId)).state).toBe('configured');
    h.clock.advance(200);
    expect((await h.client.getState(shortLived, infId)).state).toBe('unknown');
    const e = await failure(h.client.destroyInfrastructure(shortLived, infId, { async: false }));
    expect(e).toMatchObject({ kind: 'invalid', status: 400 });
    expect(e.imMessage).toContain('Invalid cloud credentials');
    await h.client.destroyInfrastructure(shortLived, infId, { async: false, force: true });
    await expect(h.client.getState(shortLived, infId)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('turns VMs unknown when calls stop carrying the provider line', async () => {
    const infId = await deploy(undefined, { async: false });
    const wrongCloud = { ...c, cloud: { ...OST, id: 'other' } };
    expect((await h.client.getState(wrongCloud, infId)).state).not.toBe('unknown');
    h.clock.advance(200);
    expect((await h.client.getState(wrongCloud, infId)).state).toBe('unknown');
  });
});

describe('delete faults', () => {
  it('answers conflict (409, retryable) to a delete while VMs are being added, after the client retried', async () => {
    const infId = await deploy('delete-conflict');
    const e = await failure(h.client.destroyInfrastructure(c, infId));
    expect(e).toMatchObject({ kind: 'conflict', status: 409, retryable: true });
    expect(e.imMessage).toBe('Error Destroying Inf: Invalid State to perform this operation.');
    expect(await recorded(`/infrastructures/${infId}$`, 'DELETE')).toBe(3);
  });

  it('a failing synchronous delete answers 400 and reverts: some VMs are gone, the rest keep their state', async () => {
    const infId = await deploy('delete-fails', { count: 4, async: false });
    h.clock.advance(500);
    const e = await failure(h.clientWith({ retries: 0 }).destroyInfrastructure(c, infId, { async: false }));
    expect(e).toMatchObject({ kind: 'invalid', status: 400, retryable: true });
    expect(e.imMessage).toMatch(/^Error Destroying Inf: Error destroying the infrastructure: /);
    expect(await h.client.getState(c, infId)).toEqual({ state: 'configured', vmStates: { '0': 'configured', '1': 'configured' } });
  });

  it('a failing asynchronous delete reads deleting, then reverts; force removes it anyway', async () => {
    const infId = await deploy('delete-fails', { count: 2, async: false });
    h.clock.advance(500);
    await h.client.destroyInfrastructure(c, infId);
    expect((await h.client.getState(c, infId)).state).toBe('deleting');
    h.clock.advance(100);
    expect(await h.client.getState(c, infId)).toEqual({ state: 'configured', vmStates: { '0': 'configured' } });
    await h.client.destroyInfrastructure(c, infId, { force: true });
    h.clock.advance(100);
    await expect(h.client.getState(c, infId)).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('transport faults (control API rules)', () => {
  it('retries a GET through two injected 503s and succeeds', async () => {
    const infId = await deploy();
    await h.control('/faults', { body: { path: '/state$', status: 503, times: 2 } });
    expect((await h.client.getState(c, infId)).state).toBe('pending');
    expect(await recorded('/state$')).toBe(3);
  });

  it('gives up with unavailable (retryable) when 5xx keep coming with probability', async () => {
    const infId = await deploy();
    await h.control('/faults', { body: { path: '/contmsg$', status: 502, probability: 0.5 } });
    rnd = 0.2;
    const e = await failure(h.client.getContmsg(c, infId));
    expect(e).toMatchObject({ kind: 'unavailable', status: 502, retryable: true });
    rnd = 0.7;
    expect(typeof (await h.client.getContmsg(c, infId))).toBe('string');
  });

  it('maps a 504 on a create to timeout with an unknown outcome, not retryable, and does not retry it', async () => {
    await h.control('/faults', { body: { method: 'POST', path: '^/infrastructures$', status: 504, times: 5 } });
    const e = await failure(h.client.createInfrastructure(c, singleNodeTemplate()));
    expect(e).toMatchObject({ kind: 'timeout', status: 504, retryable: false, outcomeUnknown: true });
    expect(await recorded('^/infrastructures$', 'POST')).toBe(1);
  });

  it('survives a dropped connection on a GET by retrying, and reports unavailable when drops persist', async () => {
    const infId = await deploy();
    await h.control('/faults', { body: { path: '/vms/0$', action: 'reset', times: 1 } });
    h.clock.advance(100);
    expect((await h.client.getVmInfo(c, infId, '0')).id).toBe('0');
    await h.control('/faults', { body: { path: '/outputs$', action: 'reset' } });
    const e = await failure(h.client.getOutputs(c, infId));
    expect(e).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(e.status).toBeUndefined();
  });

  it('times out a hanging call, retries it, and succeeds when the IM answers again', async () => {
    const infId = await deploy();
    await h.control('/faults', { body: { path: '/state$', action: 'hang', times: 1 } });
    const client = h.clientWith({ timeoutMs: 200 });
    expect((await client.getState(c, infId)).state).toBe('pending');
    await h.control('/faults', { body: { path: '/state$', action: 'hang' } });
    expect(await failure(client.getState(c, infId))).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('leaves an orphan when a create times out after the IM accepted it, findable by the deployment tag', async () => {
    await h.control('/faults', { body: { method: 'POST', path: '^/infrastructures$', delayMs: 400, times: 1 } });
    const tag = 'PAAS_DEP_UUID: 3c9b1e52-orphan';
    const tosca = `${singleNodeTemplate()}# ${tag}\n`;
    const e = await failure(h.clientWith({ timeoutMs: 100 }).createInfrastructure(c, tosca));
    expect(e.kind).toBe('timeout');
    let orphans: string[] = [];
    for (let i = 0; i < 50 && orphans.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      orphans = await h.client.listInfrastructures(c, { filter: tag });
    }
    expect(orphans).toHaveLength(1);
    created.push(...orphans);
  });

  it('adds latency to one route only: a short client timeout fails there, a patient client succeeds', async () => {
    const infId = await deploy();
    await h.control('/faults', { body: { path: '/contmsg$', delayMs: [300, 400] } });
    expect(await failure(h.clientWith({ timeoutMs: 100, retries: 0 }).getContmsg(c, infId))).toMatchObject({ kind: 'timeout' });
    expect((await h.clientWith({ timeoutMs: 100, retries: 0 }).getState(c, infId)).state).toBe('pending');
    expect(typeof (await h.clientWith({ timeoutMs: 5_000 }).getContmsg(c, infId))).toBe('string');
  });

  it('fails calls on a flaky infrastructure with its error rate, other infrastructures unaffected', async () => {
    const flaky = await deploy('flaky; errorRate=0.5; errorStatus=500');
    const healthy = await deploy();
    rnd = 0.1;
    expect(await failure(h.client.getState(c, flaky))).toMatchObject({ kind: 'unavailable', status: 500 });
    expect((await h.client.getState(c, healthy)).state).toBe('pending');
    rnd = 0.9;
    expect((await h.client.getState(c, flaky)).state).toBe('pending');
  });

  it('answers a VM action that the cloud refuses with invalid/400', async () => {
    const infId = await deploy('action-fails', { async: false });
    h.clock.advance(500);
    const e = await failure(h.client.stopVm(c, infId, '0'));
    expect(e).toMatchObject({ kind: 'invalid', status: 400 });
    expect(e.imMessage).toContain('Error stopping VM');
  });
});

describe('leaks', () => {
  it('leaves no infrastructure behind', async () => {
    h.clock.advance(1_000);
    for (const id of created.splice(0)) await h.client.destroyInfrastructure(c, id, { force: true, async: false }).catch(() => undefined);
    expect(await h.liveInfraIds()).toEqual([]);
  });
});
