import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const DASHBOARD = 'https://dashboard.example.org';
const preflight = (origin: string) => ({
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
});

let t: TestApp;
let alice: string;
beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: `${DASHBOARD},https://other.example.org` });
  alice = await t.token('cors-alice');
});
afterAll(async () => {
  await t?.close();
});

describe('CORS_ORIGINS', () => {
  it('lets an allowed origin through the preflight and reads the real answer, rate-limit headers included', async () => {
    const pre = await t.call('OPTIONS', '/api/v1/deployments', preflight(DASHBOARD));
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(expect.stringContaining('idempotency-key'));
    expect(pre.headers.get('access-control-max-age')).toBe('600');

    const real = await t.call('GET', '/api/v1/deployments', { token: alice, headers: { origin: DASHBOARD } });
    expect(real.status).toBe(200);
    expect(real.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    const exposed = real.headers.get('access-control-expose-headers')?.toLowerCase().split(/,\s*/) ?? [];
    expect(exposed).toEqual(expect.arrayContaining(['location', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']));
    expect(real.headers.get('x-ratelimit-limit')).not.toBeNull();
  });

  it('gives a disallowed origin no allow headers, on the preflight or the real request', async () => {
    const pre = await t.call('OPTIONS', '/api/v1/deployments', preflight('https://evil.example.org'));
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const real = await t.call('GET', '/api/v1/deployments', { token: alice, headers: { origin: 'https://evil.example.org' } });
    expect(real.status).toBe(200);
    expect(real.headers.get('access-control-allow-origin')).toBeNull();
  });
});
