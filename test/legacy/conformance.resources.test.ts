import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../src/db/schema.js';
import { RESOURCE_STATUS } from '../../src/domain/resource-status.js';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';
import { singleNodeTemplate } from '../im/templates.js';
import { dashboardCreateBody, expectLegacyError, expectNoNulls, href, JSON_UTF8, legacy, LEGACY_DATE, legacyCreate, rels, waitLegacyStatus } from './legacy.helpers.js';

let rig: DeploymentRig;
let id: string;
let netId: string;
let goneId: string;

beforeAll(async () => {
  rig = await startDeploymentRig();
  id = (await legacyCreate(rig, rig.alice, dashboardCreateBody({ template: singleNodeTemplate({ count: 2 }) }))).uuid;
  await waitLegacyStatus(rig, rig.alice, id, ['CREATE_COMPLETE']);
  const planted = await rig.app.deps.db
    .insert(resources)
    .values([
      { deploymentId: id, toscaNodeName: 'net', toscaNodeType: 'tosca.nodes.network.Network', typeAncestry: ['tosca.nodes.Root'], status: RESOURCE_STATUS.CONFIGURED },
      { deploymentId: id, toscaNodeName: 'gone', toscaNodeType: 'tosca.nodes.indigo.Compute', typeAncestry: ['tosca.nodes.Compute'], status: RESOURCE_STATUS.DELETED },
    ])
    .returning();
  netId = planted[0].id;
  goneId = planted[1].id;
}, 60_000);
afterAll(async () => rig?.close());

const base = () => `/deployments/${id}/resources`;

describe('resources (checklist 26–30)', () => {
  it('26: the list is the paged wrapper of legacy Resources with deployment and self links', async () => {
    const res = await legacy(rig, 'GET', base(), { token: rig.alice });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_UTF8);
    expect(res.body.page).toEqual({ size: 10, totalElements: 3, totalPages: 1, number: 0 });
    expect(rels(res.body.links)).toEqual(['self']);
    expect(href(res.body.links, 'self')).toBe(`${rig.app.url}${base()}?page=0&size=10&sort=createdAt,desc`);
    for (const r of res.body.content) {
      expect(r).toMatchObject({ toscaNodeType: expect.any(String), toscaNodeName: expect.any(String), requiredBy: [] });
      expect(r.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.creationTime).toMatch(LEGACY_DATE);
      expect(r.updateTime).toMatch(LEGACY_DATE);
      expect(typeof r.state).toBe('string');
      expect(rels(r.links)).toEqual(['deployment', 'self']);
      expect(href(r.links, 'self')).toBe(`${rig.app.url}${base()}/${r.uuid}`);
      expect(href(r.links, 'deployment')).toBe(`${rig.app.url}/deployments/${id}`);
      expectNoNulls(r);
    }
    const net = res.body.content.find((r: any) => r.uuid === netId);
    expect(net).toMatchObject({ metadata: {}, state: 'CONFIGURED' });
    expect('physicalId' in net).toBe(false);
    expect(res.body.content.map((r: any) => r.uuid)).not.toContain(goneId);
    const paged = await legacy(rig, 'GET', `${base()}?size=2&page=1`, { token: rig.alice });
    expect(paged.body.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 1 });
    expect(rels(paged.body.links)).toEqual(['first', 'prev', 'self', 'last']);
  });

  it('27: a configured VM carries VirtualMachineInfo as a JSON string, numeric sizes, no clear private key', async () => {
    const list = await legacy(rig, 'GET', base(), { token: rig.alice });
    const vms = list.body.content.filter((r: any) => r.toscaNodeName === 'server');
    expect(vms).toHaveLength(2);
    for (const vm of vms) {
      expect(vm.state).toBe('STARTED');
      expect(['0', '1']).toContain(vm.physicalId);
      const info = vm.metadata.VirtualMachineInfo;
      expect(typeof info).toBe('string');
      expect(info).toContain('vmProperties');
      const system = JSON.parse(info).vmProperties.find((a: any) => a.class === 'system');
      expect(typeof system['memory.size']).toBe('number');
      expect(typeof system['cpu.count']).toBe('number');
      expect(system['net_interface.1.ip']).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(JSON.parse(info).vmProperties.some((a: any) => a.class === 'network' && a.id === 'pub_network')).toBe(true);
      expect(info).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
      expect(Object.values(vm.metadata).every((v) => typeof v === 'string')).toBe(true);
    }
    const extra = await legacy(rig, 'GET', `/deployments/${id}/extrainfo`, { token: rig.alice });
    expect(extra.status).toBe(200);
    const parsed = JSON.parse(extra.text);
    expect(parsed).toHaveLength(2);
    expect(parsed[0].vmProperties.some((a: any) => a.class === 'system')).toBe(true);
  });

  it('28: ?type= keeps compute-derived nodes only and self keeps the type', async () => {
    const res = await legacy(rig, 'GET', `${base()}?type=tosca.nodes.Compute`, { token: rig.alice });
    expect(res.body.content.map((r: any) => r.toscaNodeName)).toEqual(['server', 'server']);
    expect(res.body.page.totalElements).toBe(2);
    expect(href(res.body.links, 'self')).toContain('type=tosca.nodes.Compute');
  });

  it('29: one resource is 200; an unknown or deleted one is a legacy 404', async () => {
    const one = await legacy(rig, 'GET', `${base()}/${netId}`, { token: rig.alice });
    expect(one.status).toBe(200);
    expect(one.body.uuid).toBe(netId);
    const unknown = crypto.randomUUID();
    expectLegacyError(await legacy(rig, 'GET', `${base()}/${unknown}`, { token: rig.alice }), 404, 'Not Found', `The resource ${unknown} in deployment ${id} doesn't exist`);
    expectLegacyError(await legacy(rig, 'GET', `${base()}/${goneId}`, { token: rig.alice }), 404, 'Not Found');
    expectLegacyError(await legacy(rig, 'GET', `${base()}/${netId}`, { token: rig.bob }), 404, 'Not Found', `The deployment ${id} doesn't exist`);
  });

  it('30: stop is 202, an unknown rid 400, a deployment still creating 409', async () => {
    const vm = (await legacy(rig, 'GET', `${base()}?type=tosca.nodes.Compute`, { token: rig.alice })).body.content[0];
    const stop = await legacy(rig, 'POST', `${base()}/${vm.uuid}/actions`, { token: rig.alice, json: { type: 'stop' } });
    expect(stop.status, stop.text).toBe(202);
    const unknown = crypto.randomUUID();
    expectLegacyError(await legacy(rig, 'POST', `${base()}/${unknown}/actions`, { token: rig.alice, json: { type: 'stop' } }), 400, 'Bad Request', `Resource ${unknown} not found in deployment ${id}`);
    expectLegacyError(await legacy(rig, 'POST', `${base()}/${vm.uuid}/actions`, { token: rig.alice, json: {} }), 400, 'Bad Request', /type/);

    const stuck = (await legacyCreate(rig, rig.alice, dashboardCreateBody({ template: singleNodeTemplate({ scenario: 'stuck-running' }) }))).uuid;
    const rid = (await legacy(rig, 'GET', `/deployments/${stuck}/resources`, { token: rig.alice })).body.content[0].uuid;
    expectLegacyError(await legacy(rig, 'POST', `/deployments/${stuck}/resources/${rid}/actions`, { token: rig.alice, json: { type: 'start' } }), 409, 'Conflict', /CREATE_IN_PROGRESS/);
  });
});
