import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
});
afterAll(async () => {
  await t?.close();
});

describe('the v1 error model', () => {
  it('answers unknown routes with 404 in the v1 shape', async () => {
    const res = await t.call('GET', '/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 404, detail: 'No route for GET /api/v1/nope' });
  });

  it('answers a body over the limit with 413 and stores nothing', async () => {
    const token = await t.token('big');
    const reg = await t.call('POST', '/api/v1/users', { token });
    const res = await t.call('PATCH', `/api/v1/users/${reg.body.id}`, { token, json: { public_ssh_key: `ssh-ed25519 ${'A'.repeat(5000)}` } });
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
    expect((await t.call('GET', `/api/v1/users/${reg.body.id}`, { token })).body.public_ssh_key).toBeNull();
  });

  it('turns an unexpected failure into 500 with a request id, logs it, and leaks nothing internal', async () => {
    const original = t.deps.users.ensureRegistered;
    t.deps.users.ensureRegistered = async () => {
      throw new Error('relation "users" is broken at 10.0.0.7:5432');
    };
    try {
      const res = await t.call('GET', '/api/v1/users', { token: await t.token('boom') });
      expect(res.status).toBe(500);
      expect(res.body.status).toBe(500);
      expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
      expect(res.body.detail).toContain(res.body.request_id);
      expect(JSON.stringify(res.body)).not.toMatch(/relation|10\.0\.0\.7/);
      const logged = t.logger.entries.find((e) => e.level === 'error' && (e.obj as { requestId?: string }).requestId === res.body.request_id);
      expect(logged).toBeDefined();
    } finally {
      t.deps.users.ensureRegistered = original;
    }
  });

  it('echoes a caller-supplied request id', async () => {
    const res = await t.call('GET', '/api/v1/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the routes', async () => {
    const res = await t.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/health', '/api/v1/configuration', '/api/v1/users', '/api/v1/users/{id}']));
    expect(Object.keys(res.body.paths['/api/v1/users/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(res.body.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
    expect(res.body.paths['/api/v1/users'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['page', 'size', 'sort', 'sub', 'issuer', 'email', 'username', 'name']),
    );
  });

  it('serves a reference UI at /docs', async () => {
    const res = await t.call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('/api/v1/openapi.json');
  });
});

describe('CORS for a dashboard on another origin', () => {
  it('answers preflights for configured origins only', async () => {
    const withCors = await createTestApp({ CORS_ORIGINS: 'https://dashboard.example.org' });
    try {
      const preflight = await withCors.call('OPTIONS', '/api/v1/users', {
        headers: { origin: 'https://dashboard.example.org', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.org');
      expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
      const foreign = await withCors.call('GET', '/api/v1/health', { headers: { origin: 'https://evil.example.org' } });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await withCors.close();
    }
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const res = await t.call('GET', '/api/v1/health', { headers: { origin: 'https://dashboard.example.org' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
