import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, {}, { nodeRoutes: true });
});
afterAll(async () => {
  await t?.close();
});

describe('Prometheus metrics', () => {
  it('counts API requests by route and status', async () => {
    await t.call('GET', '/api/v1/health');
    await t.call('GET', '/api/v1/users');
    const res = await t.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\} [1-9]/);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/users",status="401"\} [1-9]/);
    expect(res.body).toContain('http_request_duration_seconds_bucket');
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });
});

describe('queue dashboard at /admin/queues', () => {
  it('is closed without a token and to non-admins', async () => {
    expect((await t.call('GET', '/admin/queues')).status).toBe(401);
    expect((await t.call('GET', '/admin/queues/api/queues')).status).toBe(401);
    const user = await t.token('board-user');
    expect((await t.call('GET', '/admin/queues', { token: user })).status).toBe(403);
  });

  it('shows admins the four queues', async () => {
    const admin = await t.token('board-admin', { groups: ['admins'] });
    const page = await t.call('GET', '/admin/queues', { token: admin });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await t.call('GET', '/admin/queues/api/queues', { token: admin });
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['deployments', 'log-ingest', 'maintenance', 'resource-actions']);
  });
});
