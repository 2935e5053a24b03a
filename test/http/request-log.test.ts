import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const requestLines = (requestId: string) => t.logger.entries.filter((e) => e.msg === 'request' && (e.obj as { requestId?: string }).requestId === requestId);

describe('the request log', () => {
  it('writes exactly one line per request with id, method, route template, status, duration and user', async () => {
    const token = await t.token('alice');
    const registered = await t.call('POST', '/api/v1/users', { token });
    expect(registered.status).toBe(201);
    const userId = registered.body.id as string;

    const res = await t.call('GET', `/api/v1/users/${userId}`, { token, headers: { 'x-request-id': 'req-log-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-log-1');
    const lines = requestLines('req-log-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('info');
    expect(lines[0]!.obj).toEqual({
      requestId: 'req-log-1',
      method: 'GET',
      route: '/api/v1/users/:id',
      path: `/api/v1/users/${userId}`,
      status: 200,
      durationMs: expect.any(Number),
      userId,
    });
    expect((lines[0]!.obj as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
    // The bearer token never reaches the log.
    expect(t.logger.text()).not.toContain(token);
  });

  it('logs refused and unknown requests too, without a user', async () => {
    const refused = await t.call('GET', '/api/v1/users', { token: 'not-a-jwt', headers: { 'x-request-id': 'req-log-401' } });
    expect(refused.status).toBe(401);
    expect(requestLines('req-log-401').map((e) => e.obj)).toEqual([
      expect.objectContaining({ method: 'GET', route: '/api/v1/users', status: 401 }),
    ]);
    expect(requestLines('req-log-401')[0]!.obj).not.toHaveProperty('userId');

    const missing = await t.call('DELETE', '/api/v1/nothing-here', { headers: { 'x-request-id': 'req-log-404' } });
    expect(missing.status).toBe(404);
    expect(requestLines('req-log-404')).toHaveLength(1);
    const [unknown] = requestLines('req-log-404').map((e) => e.obj as { route: string });
    expect(unknown).toMatchObject({ method: 'DELETE', path: '/api/v1/nothing-here', status: 404 });
    // The route is a template, never the path a client made up.
    expect(unknown!.route).not.toContain('nothing-here');
  });

  it('keeps health probes out of the info log', async () => {
    const res = await t.call('GET', '/api/v1/health', { headers: { 'x-request-id': 'req-log-health' } });
    expect(res.status).toBe(200);
    expect(requestLines('req-log-health')).toEqual([]);
  });
});
