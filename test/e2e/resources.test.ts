import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../src/db/schema.js';
import { MASK } from '../../src/im/index.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
/** One VM: the start/stop/reboot walk. */
let walk: { id: string; infra: string; rid: string };
/** Two VMs and a planted non-compute node: reads, filters, access. */
let reads: { id: string; infra: string; rids: string[]; netId: string };

const base = (dep: string) => `/api/v1/deployments/${dep}/resources`;

async function deployed(count: number) {
  const template_id = await rig.templateId({ count });
  const id = await rig.deploy({ template_id });
  const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
  expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
  const list = await rig.app.call('GET', `${base(id)}?sort=created_at`, { token: rig.alice });
  expect(list.status).toBe(200);
  return { id, infra: done.im_infra_id as string, rids: list.body.data.map((r: any) => r.id as string) };
}

async function waitResource(dep: string, rid: string, statuses: string[], timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await rig.app.call('GET', `${base(dep)}/${rid}`, { token: rig.alice });
    if (statuses.includes(res.body.status_name)) return res.body;
    if (Date.now() > until) throw new Error(`resource ${rid} stayed ${res.body.status_name}: ${res.body.status_reason}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const patch = (dep: string, rid: string, action: string, token = rig.alice) => rig.app.call('PATCH', `${base(dep)}/${rid}/${action}`, { token });
const fault = (rule: Record<string, unknown>) => rig.control('/faults', rule);

beforeAll(async () => {
  rig = await startDeploymentRig();
  const [w, r] = await Promise.all([deployed(1), deployed(2)]);
  walk = { id: w.id, infra: w.infra, rid: w.rids[0] };
  const [net] = await rig.app.deps.db
    .insert(resources)
    .values({ deploymentId: r.id, toscaNodeName: 'net', toscaNodeType: 'tosca.nodes.network.Network', typeAncestry: ['tosca.nodes.Root'], status: 0 })
    .returning();
  reads = { ...r, netId: net.id };
}, 60_000);
afterAll(async () => rig?.close());

describe('reading resources', () => {
  it('lists them with the page envelope and shows one with absolute links and masked metadata', async () => {
    const list = await rig.app.call('GET', `${base(reads.id)}?size=2&sort=name`, { token: rig.alice });
    expect(list.status).toBe(200);
    expect(list.body.page).toEqual({ size: 2, total_elements: 3, total_pages: 2, number: 1 });
    expect(list.body.links.next).toBe(`${rig.app.url}${base(reads.id)}?size=2&sort=name&page=2`);
    expect(list.body.data.map((r: any) => r.tosca_node_name)).toEqual(['net', 'server']);

    const one = await rig.app.call('GET', `${base(reads.id)}/${reads.rids[0]}`, { token: rig.alice });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: reads.rids[0],
      created_by: rig.aliceId,
      updated_by: rig.aliceId,
      status: 0,
      status_name: 'CONFIGURED',
      status_reason: null,
      tosca_node_type: 'tosca.nodes.indigo.Compute',
      tosca_node_name: 'server',
      required_by: [],
      links: { self: `${rig.app.url}${base(reads.id)}/${reads.rids[0]}`, deployment: `${rig.app.url}/api/v1/deployments/${reads.id}` },
    });
    expect(['0', '1']).toContain(one.body.im_vm_idx);
    expect(one.body.metadata.public_ips.length).toBeGreaterThan(0);
    const net = await rig.app.call('GET', `${base(reads.id)}/${reads.netId}`, { token: rig.alice });
    expect(net.body).toMatchObject({ im_vm_idx: null, metadata: null });
  });

  it('masks secrets in stored metadata whoever wrote them', async () => {
    const planted = { VirtualMachineInfo: { vmProperties: [{ class: 'system', id: 'net', 'disk.0.os.credentials.password': 'pl4nted', 'disk.0.os.credentials.private_key': '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----' }] } };
    await rig.app.deps.db.update(resources).set({ metadata: planted }).where(eq(resources.id, reads.netId));
    const res = await rig.app.call('GET', `${base(reads.id)}/${reads.netId}`, { token: rig.alice });
    const system = res.body.metadata.VirtualMachineInfo.vmProperties[0];
    expect(system['disk.0.os.credentials.password']).toBe(MASK);
    expect(system['disk.0.os.credentials.private_key']).toBe(MASK);
    expect(JSON.stringify(res.body)).not.toMatch(/pl4nted|BEGIN RSA/);
  });

  it('filters by exact or parent type, status names or codes, and name', async () => {
    const names = async (query: string) => {
      const res = await rig.app.call('GET', `${base(reads.id)}?${query}`, { token: rig.alice });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data.map((r: any) => r.tosca_node_name).sort();
    };
    expect(await names('type=tosca.nodes.Compute')).toEqual(['server', 'server']);
    expect(await names('type=tosca.nodes.indigo.Compute')).toEqual(['server', 'server']);
    expect(await names('type=tosca.nodes.Root')).toEqual(['net', 'server', 'server']);
    expect(await names('type=tosca.nodes.network.Network')).toEqual(['net']);
    expect(await names('status=configured')).toEqual(['net', 'server', 'server']);
    expect(await names('status=STOPPED')).toEqual([]);
    expect(await names('status=10,0')).toEqual(['net', 'server', 'server']);
    expect(await names('status=STOPPED&status=CONFIGURED&name=net')).toEqual(['net']);
    expect(await names('name=server&sort=-status')).toEqual(['server', 'server']);
    expect((await rig.app.call('GET', `${base(reads.id)}?status=sleepy`, { token: rig.alice })).status).toBe(422);
    expect((await rig.app.call('GET', `${base(reads.id)}?sort=bogus`, { token: rig.alice })).status).toBe(422);
    const unknown = await rig.app.call('GET', `${base(reads.id)}?kind=x&sort=bogus`, { token: rig.alice });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { loc: string[] }) => e.loc.join('.')).sort()).toEqual(['query.kind', 'query.sort']);
  });
});

describe('VM actions', () => {
  it('stops, starts and reboots the VM, one action at a time', async () => {
    const stop = await patch(walk.id, walk.rid, 'stop');
    expect(stop.status, JSON.stringify(stop.body)).toBe(202);
    const stopping = await rig.app.call('GET', `${base(walk.id)}/${walk.rid}`, { token: rig.alice });
    expect(['STOPPING', 'STOPPED']).toContain(stopping.body.status_name);
    if (stopping.body.status_name === 'STOPPING') {
      const busy = await patch(walk.id, walk.rid, 'start');
      expect(busy.status).toBe(409);
      expect(busy.body).toMatchObject({ status: 409, current_status: 'STOPPING', action: 'stop' });
    }
    const stopped = await waitResource(walk.id, walk.rid, ['STOPPED', 'ERROR']);
    expect(stopped.status_name, stopped.status_reason).toBe('STOPPED');
    expect(stopped.status).toBe(10);
    expect(stopped.metadata.state).toBe('stopped');
    const system = stopped.metadata.VirtualMachineInfo.vmProperties.find((a: any) => a.class === 'system');
    expect(system['disk.0.os.credentials.password']).toBe(MASK);
    expect(system['disk.0.os.credentials.private_key']).toBe(MASK);

    const reboot = await patch(walk.id, walk.rid, 'reboot');
    expect(reboot.status).toBe(409);
    expect(reboot.body).toMatchObject({ status: 409, current_status: 'STOPPED', allowed: ['STARTED'] });
    expect(reboot.body.detail).toMatch(/STOPPED.*STARTED/);

    expect((await patch(walk.id, walk.rid, 'start')).status).toBe(202);
    const started = await waitResource(walk.id, walk.rid, ['STARTED', 'ERROR']);
    expect(started.status_name, started.status_reason).toBe('STARTED');
    expect(started.metadata.state).toBe('configured');

    expect((await patch(walk.id, walk.rid, 'reboot')).status).toBe(202);
    const rebooted = await waitResource(walk.id, walk.rid, ['STARTED', 'ERROR']);
    expect(rebooted.status_name, rebooted.status_reason).toBe('STARTED');
    const requests = (await (await rig.control(`/requests?path=${walk.infra}/vms/0/(stop|start|reboot)$`)).json()) as { requests: Array<{ path: string }> };
    expect(requests.requests.map((r) => r.path.split('/').pop())).toEqual(['stop', 'start', 'reboot']);
  });

  it('lets a status reset win over the running action', async () => {
    await fault({ method: 'PUT', path: `${walk.infra}/vms/0/stop$`, delayMs: 300, times: 1 });
    expect((await patch(walk.id, walk.rid, 'stop')).status).toBe(202);
    const reset = await rig.app.call('PATCH', `${base(walk.id)}/${walk.rid}/reset-status`, { token: rig.alice, json: { status: 'error' } });
    expect(reset.status).toBe(202);
    const now = await rig.app.call('GET', `${base(walk.id)}/${walk.rid}`, { token: rig.alice });
    expect(now.body).toMatchObject({ status_name: 'ERROR', status: 6 });
    expect(now.body.status_reason).toMatch(/reset/);
    await new Promise((r) => setTimeout(r, 700));
    const later = await rig.app.call('GET', `${base(walk.id)}/${walk.rid}`, { token: rig.alice });
    expect(later.body.status_name).toBe('ERROR');
    expect(later.body.status_reason).toBe(now.body.status_reason);

    const start = await patch(walk.id, walk.rid, 'start');
    expect(start.status).toBe(409);
    expect(start.body).toMatchObject({ status: 409, current_status: 'ERROR', allowed: ['CONFIGURED', 'STOPPED', 'STARTED'] });
    expect((await rig.app.call('PATCH', `${base(walk.id)}/${walk.rid}/reset-status`, { token: rig.alice, json: { status: 'running' } })).status).toBe(422);
  });

  it('refuses a node without a VM with 422', async () => {
    const res = await patch(reads.id, reads.netId, 'start');
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/tosca.nodes.network.Network/);
  });

  it('retries a transient IM failure and ends in ERROR with the reason on a permanent one', async () => {
    const [a, b] = reads.rids;
    // Three 503s outlast the client's own retries: the job runs again later and the call goes through.
    await fault({ method: 'PUT', path: `${reads.infra}/vms/\\d+/stop$`, status: 503, times: 3 });
    expect((await patch(reads.id, a, 'stop')).status).toBe(202);
    const stopped = await waitResource(reads.id, a, ['STOPPED', 'ERROR']);
    expect(stopped.status_name, stopped.status_reason).toBe('STOPPED');
    const calls = (await (await rig.control(`/requests?path=${reads.infra}/vms/\\d%2B/stop$`)).json()) as { requests: unknown[] };
    expect(calls.requests).toHaveLength(4);

    await fault({ method: 'PUT', path: `${reads.infra}/vms/\\d+/stop$`, status: 400, body: 'Error stopping the VM: quota', times: 1 });
    expect((await patch(reads.id, b, 'stop')).status).toBe(202);
    const failed = await waitResource(reads.id, b, ['STOPPED', 'ERROR']);
    expect(failed.status_name).toBe('ERROR');
    expect(failed.status_reason).toMatch(/stop.*HTTP 400/);
    expect((await rig.app.call('PATCH', `${base(reads.id)}/${b}/reset-status`, { token: rig.alice })).status).toBe(202);
  });

  it('ends in ERROR with the reason when the VM fails while it starts', async () => {
    const d = await deployed(1);
    // The first poll after the start call is held long enough for the VM to fail underneath it.
    await fault({ method: 'GET', path: `${d.infra}/vms/\\d+$`, delayMs: 400, times: 1 });
    expect((await patch(d.id, d.rids[0], 'start')).status).toBe(202);
    const until = Date.now() + 10_000;
    for (;;) {
      const seen = (await (await rig.control(`/requests?path=${d.infra}/vms/0/start$`)).json()) as { requests: unknown[] };
      if (seen.requests.length) break;
      if (Date.now() > until) throw new Error('the start call never reached the IM');
      await new Promise((r) => setTimeout(r, 10));
    }
    await rig.forceState(d.infra, 'failed');
    const failed = await waitResource(d.id, d.rids[0], ['STARTED', 'ERROR']);
    expect(failed.status_name).toBe('ERROR');
    expect(failed.status_reason).toBe('the IM reports the VM failed after start');
    expect(failed.metadata.state).toBe('failed');
    expect((await patch(d.id, d.rids[0], 'stop')).status).toBe(409);
  });
});

describe('access', () => {
  it('answers 404 on every resource endpoint to a user who does not own the deployment', async () => {
    const rid = reads.rids[0];
    expect((await rig.app.call('GET', base(reads.id), { token: rig.bob })).status).toBe(404);
    expect((await rig.app.call('GET', `${base(reads.id)}/${rid}`, { token: rig.bob })).status).toBe(404);
    for (const action of ['start', 'stop', 'reboot', 'reset-status']) {
      const res = await patch(reads.id, rid, action, rig.bob);
      expect(res.status, action).toBe(404);
      expect(res.body.detail).toMatch(/Deployment/);
    }
    expect((await rig.app.call('GET', base(reads.id))).status).toBe(401);
  });

  it('shows any deployment resources to an admin', async () => {
    const list = await rig.app.call('GET', base(reads.id), { token: rig.root });
    expect(list.status).toBe(200);
    expect(list.body.page.total_elements).toBe(3);
    expect((await rig.app.call('GET', `${base(reads.id)}/${reads.netId}`, { token: rig.root })).status).toBe(200);
  });

  it('publishes every resource endpoint in the OpenAPI document', async () => {
    const spec = await rig.app.call('GET', '/api/v1/openapi.json');
    const paths = Object.keys(spec.body.paths).filter((p) => p.includes('/resources'));
    expect(paths.sort()).toEqual(
      ['', '/{id}', '/{id}/reboot', '/{id}/reset-status', '/{id}/start', '/{id}/stop'].map((p) => `/api/v1/deployments/{dep_id}/resources${p}`).sort(),
    );
  });

  it('answers 404 for unknown ids and 422 for malformed ones', async () => {
    const unknown = crypto.randomUUID();
    expect((await rig.app.call('GET', base(unknown), { token: rig.alice })).status).toBe(404);
    expect((await rig.app.call('GET', `${base(reads.id)}/${unknown}`, { token: rig.alice })).status).toBe(404);
    expect((await patch(reads.id, unknown, 'stop')).status).toBe(404);
    expect((await rig.app.call('GET', `${base(walk.id)}/${reads.rids[0]}`, { token: rig.alice })).status).toBe(404);
    expect((await rig.app.call('GET', base('not-a-uuid'), { token: rig.alice })).status).toBe(422);
    expect((await rig.app.call('GET', `${base(reads.id)}/not-a-uuid`, { token: rig.alice })).status).toBe(422);
    expect((await patch(reads.id, 'not-a-uuid', 'start')).status).toBe(422);
  });
});

describe('while the deployment is deleted', () => {
  it('refuses resource requests with 409 in DELETE_IN_PROGRESS and DELETE_COMPLETE', async () => {
    await fault({ method: 'DELETE', path: `${walk.infra}$`, delayMs: 400, times: 1 });
    expect((await rig.app.call('DELETE', `/api/v1/deployments/${walk.id}`, { token: rig.alice })).status).toBe(202);
    const during = await rig.app.call('PATCH', `${base(walk.id)}/${walk.rid}/reset-status`, { token: rig.alice });
    expect(during.status).toBe(409);
    expect(during.body.deployment_status).toBe('DELETE_IN_PROGRESS');
    await rig.waitStatus(walk.id, ['DELETE_COMPLETE']);
    const after = await patch(walk.id, walk.rid, 'start');
    expect(after.status).toBe(409);
    expect(after.body.deployment_status).toBe('DELETE_COMPLETE');
    expect((await rig.app.call('GET', `${base(walk.id)}/${walk.rid}`, { token: rig.alice })).body.status_name).toBe('DELETED');
  });
});
