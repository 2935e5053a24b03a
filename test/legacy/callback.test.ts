import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';
import { dashboardCreateBody, legacy, LEGACY_DATE, legacyCreate, waitLegacyStatus } from './legacy.helpers.js';

let rig: DeploymentRig;
let server: Server;
let url: string;
/** What the callback receiver got, per path. */
const received = new Map<string, Array<{ contentType?: string; body: any }>>();
/** Paths that answer 503 this many more times before accepting. */
const failuresLeft = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const left = failuresLeft.get(path) ?? 0;
      if (left > 0) {
        failuresLeft.set(path, left - 1);
        res.writeHead(503).end();
        return;
      }
      received.set(path, [...(received.get(path) ?? []), { contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }]);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => {
  await rig?.close();
  await new Promise((r) => server?.close(r));
});

async function waitReceived(path: string, n: number, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while ((received.get(path)?.length ?? 0) < n) {
    if (Date.now() > until) throw new Error(`${path} received ${received.get(path)?.length ?? 0} of ${n} callbacks`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return received.get(path)!;
}

describe('callback (checklist 31)', () => {
  it('POSTs the Deployment JSON once per finished create, update and delete', async () => {
    const created = await legacyCreate(rig, rig.alice, dashboardCreateBody({ callback: `${url}/dep-a` }));
    expect(created.callback).toBe(`${url}/dep-a`);
    await waitLegacyStatus(rig, rig.alice, created.uuid, ['CREATE_COMPLETE']);
    const [first] = await waitReceived('/dep-a', 1);
    expect(first.contentType).toMatch(/^application\/json/);
    expect(first.body).toMatchObject({ uuid: created.uuid, status: 'CREATE_COMPLETE', task: 'NONE', links: [], callback: `${url}/dep-a`, createdBy: { subject: 'alice' } });
    expect(first.body.updateTime).toMatch(LEGACY_DATE);
    expect(first.body.outputs.node_ip).toBeTruthy();
    expect(first.body.physicalId).toBeTruthy();
    expect(first.body.cloudProviderName).toBe('sim-openstack');
    expect('statusReason' in first.body).toBe(false);

    const put = await legacy(rig, 'PUT', `/deployments/${created.uuid}`, { token: rig.alice, scheme: 'bearer', json: dashboardCreateBody({ parameters: { vm_count: 2 } }) });
    expect(put.status, put.text).toBe(202);
    await waitLegacyStatus(rig, rig.alice, created.uuid, ['UPDATE_COMPLETE']);
    const afterUpdate = await waitReceived('/dep-a', 2);
    expect(afterUpdate[1].body.status).toBe('UPDATE_COMPLETE');

    expect((await legacy(rig, 'DELETE', `/deployments/${created.uuid}?force=false`, { token: rig.alice })).status).toBe(204);
    await waitLegacyStatus(rig, rig.alice, created.uuid, ['DELETE_COMPLETE']);
    const afterDelete = await waitReceived('/dep-a', 3);
    expect(afterDelete[2].body.status).toBe('DELETE_COMPLETE');
    await new Promise((r) => setTimeout(r, 300));
    expect(received.get('/dep-a')).toHaveLength(3);
  });

  it('retries a callback the receiver refuses for a while, and a failed deployment is announced too', async () => {
    failuresLeft.set('/dep-b', 1);
    const created = await legacyCreate(rig, rig.alice, dashboardCreateBody({ callback: `${url}/dep-b` }));
    await waitLegacyStatus(rig, rig.alice, created.uuid, ['CREATE_COMPLETE']);
    const [delivered] = await waitReceived('/dep-b', 1);
    expect(delivered.body.status).toBe('CREATE_COMPLETE');
    expect(failuresLeft.get('/dep-b')).toBe(0);

    const template = dashboardCreateBody().template.replace('topology_template:', 'metadata:\n  im_sim_scenario: "all-failed"\ntopology_template:');
    const failing = await legacyCreate(rig, rig.alice, { ...dashboardCreateBody({ template, callback: `${url}/dep-c` }), maxProvidersRetry: 1 });
    const failed = await waitLegacyStatus(rig, rig.alice, failing.uuid, ['CREATE_FAILED']);
    const [announced] = await waitReceived('/dep-c', 1);
    expect(announced.body).toMatchObject({ uuid: failing.uuid, status: 'CREATE_FAILED', statusReason: failed.statusReason });
  });

  it('an unreachable callback never holds the deployment back', async () => {
    const created = await legacyCreate(rig, rig.alice, dashboardCreateBody({ callback: 'http://127.0.0.1:9/nobody' }));
    expect((await waitLegacyStatus(rig, rig.alice, created.uuid, ['CREATE_COMPLETE'])).status).toBe('CREATE_COMPLETE');
  });
});
