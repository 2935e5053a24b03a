import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';
import { singleNodeTemplate } from '../im/templates.js';
import {
  dashboardCreateBody,
  JSON_UTF8,
  legacy,
  LEGACY_DATE,
  legacyCreate,
  orchentCreateBody,
  orchentHeaders,
  TEMPLATE,
  TEXT_UTF8,
  waitLegacyStatus,
  type LegacyResult,
} from './legacy.helpers.js';

// Request sequences as orchestrator-dashboard (app/lib/orchestrator.py) and orchent (orchent.go) send them,
// checked the way each client reads the answers.
let rig: DeploymentRig;

beforeAll(async () => {
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => rig?.close());

/** Go's encoding/json into orchent's structs: one field of the wrong type fails the whole decode (C9). */
function decodeOrchentDeployment(d: any): void {
  for (const k of ['uuid', 'creationTime', 'updateTime', 'userGroup', 'physicalId', 'status', 'statusReason', 'task', 'cloudProviderName', 'callback']) {
    if (k in d) expect(typeof d[k], k).toBe('string');
  }
  for (const k of ['createdBy', 'cloudProviderEndpoint', 'outputs']) if (k in d) expect(typeof d[k] === 'object' && !Array.isArray(d[k]), k).toBe(true);
  expect(Array.isArray(d.links)).toBe(true);
  for (const l of d.links) expect([typeof l.rel, typeof l.href]).toEqual(['string', 'string']);
}

function decodeOrchentResource(r: any): void {
  for (const k of ['uuid', 'creationTime', 'state', 'toscaNodeType', 'toscaNodeName']) expect(typeof r[k], k).toBe('string');
  expect(Array.isArray(r.requiredBy) && r.requiredBy.every((x: unknown) => typeof x === 'string')).toBe(true);
}

/** sling.Receive with a success target: every 2xx body is JSON-decoded, an empty one is EOF (C3). */
function slingReceive(res: LegacyResult): any {
  expect(res.status >= 200 && res.status < 300, res.text).toBe(true);
  expect(res.text.length, 'empty 2xx body: orchent prints EOF').toBeGreaterThan(0);
  return JSON.parse(res.text);
}

/** orchent's deployment_time_to_number: fixed offsets of creationTime (C5). */
function orchentTimeNumber(t: string): number {
  const n = (a: number, b: number) => Number.parseInt(t.slice(a, b), 10);
  const parts = [n(0, 4), n(5, 7), n(8, 10), n(11, 13), n(14, 16)];
  expect(parts.every((p) => Number.isInteger(p))).toBe(true);
  return parts[4] + 100 * parts[3] + 10_000 * parts[2] + 1_000_000 * parts[1] + 100_000_000 * parts[0];
}

/** Follows `next` only while self, next and last exist and self differs from last (C4). */
async function orchentPages(first: string, token: string): Promise<any[]> {
  const pages: any[] = [];
  let url: string | undefined = first;
  while (url) {
    const page = slingReceive(await legacy(rig, 'GET', url, { token, headers: orchentHeaders(false) }));
    pages.push(page);
    const link = (rel: string) => page.links.find((l: any) => l.rel === rel)?.href as string | undefined;
    const [self, next, last] = [link('self'), link('next'), link('last')];
    url = self && next && last && self !== last ? next : undefined;
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

/** The dashboard's get_all_results: follow rel=next verbatim until it is gone (D6). */
async function dashboardAllResults(url: string, token: string): Promise<any[]> {
  const results: any[] = [];
  const seen = new Set<string>();
  let next: string | undefined = url;
  while (next) {
    expect(seen.has(next), `next does not advance: ${next}`).toBe(false);
    seen.add(next);
    const res = await legacy(rig, 'GET', next, { token, scheme: 'Bearer' });
    expect(res.status, res.text).toBe(200);
    results.push(...res.body.content);
    next = res.body.links.find((l: any) => l.rel === 'next')?.href;
  }
  return results;
}

/** A deployment whose IM delete keeps failing transiently: it stays DELETE_IN_PROGRESS. */
async function stuckDeleting(token: string, create: () => Promise<any>): Promise<string> {
  const { uuid } = await create();
  const done = await waitLegacyStatus(rig, token, uuid, ['CREATE_COMPLETE']);
  await rig.control('/faults', { method: 'DELETE', path: `${done.physicalId}$`, status: 503, times: 1000 });
  return uuid;
}

describe('orchestrator-dashboard', () => {
  it('lists with pagination following links.next, creates, shows, acts, updates, deletes with a body and resets', async () => {
    const dana = await rig.app.token('dana', { groups: ['users', 'physics'] });
    for (let i = 0; i < 11; i++) await legacyCreate(rig, dana, dashboardCreateBody());

    // create: POST {base}/deployments/ with "bearer" (D1, D2, D3)
    const create = await legacy(rig, 'POST', '/deployments/', { token: dana, scheme: 'bearer', json: dashboardCreateBody({ userGroup: 'physics' }) });
    expect(create.status, create.text).toBe(201);
    const created = create.body;
    for (const k of ['uuid', 'creationTime', 'updateTime', 'status', 'task', 'outputs', 'links', 'userGroup']) expect(created, k).toHaveProperty(k);
    expect(created.creationTime).toMatch(LEGACY_DATE);
    expect(created.createdBy.subject).toBe('dana');

    // list: createdBy=<sub>@<issuer>/ unencoded, excludedStatus=DELETE_COMPLETE, Bearer (D7, D8)
    const issuer = rig.app.issuer.issuer.replace(/\/?$/, '/');
    const listed = await dashboardAllResults(`${rig.app.url}/deployments?createdBy=dana@${issuer}&excludedStatus=DELETE_COMPLETE`, dana);
    expect(listed).toHaveLength(12);
    expect(new Set(listed.map((d) => d.uuid)).size).toBe(12);
    for (const d of listed) {
      for (const k of ['uuid', 'creationTime', 'updateTime', 'status', 'task', 'outputs', 'links']) expect(d, k).toHaveProperty(k);
      expect(d.createdBy).toMatchObject({ subject: 'dana', issuer: rig.app.issuer.issuer });
      expect(d.statusReason ?? '').toBeTypeOf('string');
    }

    // show: deployment, template, log, extrainfo, resources (D8, D10, D11)
    const shown = await waitLegacyStatus(rig, dana, created.uuid, ['CREATE_COMPLETE']);
    expect(shown.cloudProviderEndpoint).toMatchObject({ deploymentType: 'OPENSTACK', iaasType: 'OPENSTACK', region: 'RegionOne' });
    expect(shown.physicalId.length).toBeLessThanOrEqual(36);
    const template = await legacy(rig, 'GET', `/deployments/${created.uuid}/template`, { token: dana });
    expect([template.status, template.text]).toEqual([200, TEMPLATE]);
    expect((await legacy(rig, 'GET', `/deployments/${created.uuid}/log`, { token: dana })).status).toBe(200);
    const extra = await legacy(rig, 'GET', `/deployments/${created.uuid}/extrainfo`, { token: dana });
    expect(Array.isArray(JSON.parse(extra.text))).toBe(true);
    const vms = await dashboardAllResults(`${rig.app.url}/deployments/${created.uuid}/resources`, dana);
    const vm = vms.find((r) => r.metadata.VirtualMachineInfo?.includes('vmProperties'));
    expect(vm).toBeDefined();
    const props = JSON.parse(vm.metadata.VirtualMachineInfo).vmProperties;
    const system = props.find((p: any) => p.class === 'system');
    expect(system).toMatchObject({ instance_name: expect.any(String), 'cpu.count': expect.any(Number), 'memory.size': expect.any(Number), 'net_interface.1.ip': expect.any(String) });
    expect(props.some((p: any) => p.id === 'pub_network')).toBe(true);
    const one = await legacy(rig, 'GET', `/deployments/${created.uuid}/resources/${vm.uuid}`, { token: dana });
    expect(one.status).toBe(200);

    // post_action: Bearer, JSON {"type": ...}; only response.ok is checked
    const action = await legacy(rig, 'POST', `/deployments/${created.uuid}/resources/${vm.uuid}/actions`, { token: dana, json: { type: 'stop' } });
    expect(action.status, action.text).toBe(202);

    // update: PUT without userGroup (D3)
    const { userGroup: _, ...updateBody } = dashboardCreateBody({ parameters: { vm_count: 1 } });
    const update = await legacy(rig, 'PUT', `/deployments/${created.uuid}`, { token: dana, scheme: 'bearer', json: updateBody });
    expect(update.status, update.text).toBe(202);

    // delete with a JSON array body and ?force= (D4)
    const del = await legacy(rig, 'DELETE', `/deployments/${listed[0].uuid}?force=false`, { token: dana, scheme: 'bearer', json: ['force=false'] });
    expect(del.status, del.text).toBe(204);
    const gone = await waitLegacyStatus(rig, dana, listed[0].uuid, ['DELETE_COMPLETE']);
    expect(gone.status).toBe('DELETE_COMPLETE');
    const active = await dashboardAllResults(`${rig.app.url}/deployments?createdBy=me&excludedStatus=DELETE_COMPLETE`, dana);
    expect(active.map((d) => d.uuid)).not.toContain(listed[0].uuid);

    // reset: PATCH succeeds only on exactly 204 (D5)
    const stuck = await stuckDeleting(dana, () => legacyCreate(rig, dana, dashboardCreateBody()));
    expect((await legacy(rig, 'DELETE', `/deployments/${stuck}?force=false`, { token: dana, scheme: 'bearer', json: ['force=false'] })).status).toBe(204);
    const reset = await legacy(rig, 'PATCH', `/deployments/${stuck}`, { token: dana, scheme: 'bearer', json: { status: 'DELETE_FAILED' } });
    expect(reset.status).toBe(204);
    expect((await legacy(rig, 'GET', `/deployments/${stuck}`, { token: dana })).body.status).toBe('DELETE_FAILED');
  }, 50_000);
});

describe('orchent', () => {
  it('test, showconf, depcreate, depls, depshow --verbose, depupdate, deplog, deptemplate, resls, resshow, vmstop/vmstart, depreset, depdel', async () => {
    const olga = await rig.app.token('olga');
    const h = orchentHeaders;

    // test, showconf
    const info = slingReceive(await legacy(rig, 'GET', '/info', { token: olga, headers: h(false) }));
    expect(typeof info.projectVersion).toBe('string');
    const conf = slingReceive(await legacy(rig, 'GET', '/configuration', { token: olga, headers: h(false) }));
    expect(Object.values(conf).every((v) => typeof v === 'string')).toBe(true);

    // depcreate <template> '{}'
    const created = slingReceive(await legacy(rig, 'POST', '/deployments', { token: olga, headers: h(true), json: orchentCreateBody({ parameters: {} }) }));
    decodeOrchentDeployment(created);
    const second = slingReceive(await legacy(rig, 'POST', '/deployments', { token: olga, headers: h(true), json: orchentCreateBody({ parameters: null, maxProvidersRetry: 2 }) }));
    decodeOrchentDeployment(second);

    // depls (-c me)
    for (const first of [`${rig.app.url}/deployments`, `${rig.app.url}/deployments?createdBy=me`]) {
      const pages = await orchentPages(first, olga);
      const deps = pages.flatMap((p) => p.content);
      expect(deps.map((d) => d.uuid).sort()).toEqual([created.uuid, second.uuid].sort());
      for (const d of deps) {
        decodeOrchentDeployment(d);
        expect(orchentTimeNumber(d.creationTime)).toBeGreaterThan(202_000_000_000);
      }
    }

    // depshow --verbose
    const done = await waitLegacyStatus(rig, olga, created.uuid, ['CREATE_COMPLETE']);
    decodeOrchentDeployment(slingReceive(await legacy(rig, 'GET', `/deployments/${created.uuid}`, { token: olga, headers: h(false) })));
    const extra = await legacy(rig, 'GET', `/deployments/${created.uuid}/extrainfo`, { token: olga, headers: h(false) });
    expect(extra.status).toBe(200);
    expect(JSON.parse(extra.text)).toHaveLength(1);

    // deplog, deptemplate: raw text although Accept says JSON
    const log = await legacy(rig, 'GET', `/deployments/${created.uuid}/log`, { token: olga, headers: h(false) });
    expect([log.status, log.headers.get('content-type')]).toEqual([200, TEXT_UTF8]);
    const template = await legacy(rig, 'GET', `/deployments/${created.uuid}/template`, { token: olga, headers: h(false) });
    expect([template.status, template.text]).toEqual([200, TEMPLATE]);

    // resls, resshow
    const resources = (await orchentPages(`${rig.app.url}/deployments/${created.uuid}/resources`, olga)).flatMap((p) => p.content);
    expect(resources).toHaveLength(1);
    resources.forEach(decodeOrchentResource);
    const vm = slingReceive(await legacy(rig, 'GET', `/deployments/${created.uuid}/resources/${resources[0].uuid}`, { token: olga, headers: h(false) }));
    decodeOrchentResource(vm);

    // vmstop / vmstart: the GET must say STARTED / STOPPED, the POST counts on 202 (C8)
    expect(vm.state).toBe('STARTED');
    const actions = `/deployments/${created.uuid}/resources/${vm.uuid}/actions`;
    expect((await legacy(rig, 'POST', actions, { token: olga, headers: h(true), json: { type: 'stop' } })).status).toBe(202);
    const until = Date.now() + 10_000;
    let state = '';
    while (state !== 'STOPPED' && Date.now() < until) {
      state = slingReceive(await legacy(rig, 'GET', `/deployments/${created.uuid}/resources/${vm.uuid}`, { token: olga, headers: h(false) })).state;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(state).toBe('STOPPED');
    expect((await legacy(rig, 'POST', actions, { token: olga, headers: h(true), json: { type: 'start' } })).status).toBe(202);

    // depupdate <uuid> <template> '{"vm_count":1}': the 202 carries JSON, so orchent prints "successfully triggered" (C3)
    await waitLegacyStatus(rig, olga, created.uuid, ['CREATE_COMPLETE']);
    const update = await legacy(rig, 'PUT', `/deployments/${done.uuid}`, { token: olga, headers: h(true), json: { template: TEMPLATE, parameters: { vm_count: 1 }, keepLastAttempt: 'true' } });
    expect(update.status, update.text).toBe(202);
    expect(update.headers.get('content-type')).toBe(JSON_UTF8);
    decodeOrchentDeployment(slingReceive(update));

    // depreset --status DELETE_FAILED (any 2xx; no target for the body)
    const stuck = await stuckDeleting(olga, async () => slingReceive(await legacy(rig, 'POST', '/deployments', { token: olga, headers: h(true), json: orchentCreateBody() })));
    expect((await legacy(rig, 'DELETE', `/deployments/${stuck}?force=false`, { token: olga, headers: h(false) })).status).toBe(204);
    const reset = await legacy(rig, 'PATCH', `/deployments/${stuck}`, { token: olga, headers: h(true), json: { status: 'DELETE_FAILED' } });
    expect(reset.status).toBe(204);

    // depdel: ?force=false, no body
    const del = await legacy(rig, 'DELETE', `/deployments/${second.uuid}?force=false`, { token: olga, headers: h(false) });
    expect(del.status, del.text).toBe(204);

    // errors decode as OrchentError {code, title, message}
    const missing = await legacy(rig, 'GET', `/deployments/${crypto.randomUUID()}`, { token: olga, headers: h(false) });
    expect(missing.status).toBe(404);
    expect(Object.keys(JSON.parse(missing.text)).sort()).toEqual(['code', 'message', 'title']);
  }, 50_000);

  it('resls follows next through the pages of a 12-VM deployment', async () => {
    const olga = await rig.app.token('olga');
    const { uuid } = slingReceive(await legacy(rig, 'POST', '/deployments', { token: olga, headers: orchentHeaders(true), json: orchentCreateBody({ template: singleNodeTemplate({ count: 12 }) }) }));
    await waitLegacyStatus(rig, olga, uuid, ['CREATE_COMPLETE']);
    const pages = await orchentPages(`${rig.app.url}/deployments/${uuid}/resources`, olga);
    expect(pages).toHaveLength(2);
    expect(new Set(pages.flatMap((p) => p.content.map((r: any) => r.uuid))).size).toBe(12);
  });
});
