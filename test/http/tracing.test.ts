import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const exporter = new InMemorySpanExporter();
let t: TestApp;

beforeAll(async () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  trace.disable();
});

describe('request tracing', () => {
  it('records one server span per API request, named by route, with status and request id', async () => {
    exporter.reset();
    const token = await t.token('traced');
    const reg = await t.call('POST', '/api/v1/users', { token });
    await t.call('GET', `/api/v1/users/${reg.body.id}`, { token, headers: { 'x-request-id': 'trace-me-1' } });
    await t.call('GET', '/api/v1/users/not-a-uuid', { token });
    const spans = exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes }));
    expect(spans.map((s) => s.name)).toEqual(['POST /api/v1/users', 'GET /api/v1/users/:id', 'GET /api/v1/users/:id']);
    expect(spans[1].attributes).toMatchObject({ 'http.response.status_code': 200, 'orchestrator.request_id': 'trace-me-1', 'http.route': '/api/v1/users/:id' });
    expect(spans[2].attributes['http.response.status_code']).toBe(422);
  });
});
