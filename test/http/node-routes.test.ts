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
