import { SpanStatusCode, type Attributes, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, startHarness, type SimHarness } from './fixtures.js';
import { singleNodeTemplate } from './templates.js';

interface Recorded {
  name: string;
  attributes: Attributes;
  status?: { code: SpanStatusCode; message?: string };
  ended: boolean;
}

/** A tracer that records spans in memory (the API package alone ships only no-op ones). */
function recordingTracer(spans: Recorded[]): Tracer {
  const start = (name: string, options?: SpanOptions): Span => {
    const rec: Recorded = { name, attributes: { ...options?.attributes }, ended: false };
    spans.push(rec);
    const span = {
      spanContext: () => ({ traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 1 }),
      setAttribute: (k: string, v: unknown) => ((rec.attributes[k] = v as never), span),
      setAttributes: (a: Attributes) => (Object.assign(rec.attributes, a), span),
      addEvent: () => span,
      addLink: () => span,
      addLinks: () => span,
      setStatus: (s: Recorded['status']) => ((rec.status = s), span),
      updateName: () => span,
      end: () => void (rec.ended = true),
      isRecording: () => true,
      recordException: () => undefined,
    };
    return span as unknown as Span;
  };
  return {
    startSpan: start,
    startActiveSpan: ((name: string, options: SpanOptions, fn: (span: Span) => unknown) => fn(start(name, options))) as Tracer['startActiveSpan'],
  };
}

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sim.close());

describe('tracing', () => {
  it('opens one ended CLIENT span per call, including retries, with operation and ids', async () => {
    const spans: Recorded[] = [];
    const client = h.clientWith({ tracer: recordingTracer(spans) });
    const c = ctx();
    const { infId } = await client.createInfrastructure(c, singleNodeTemplate(), { async: false });
    await h.control('/faults', { body: { path: '/state$', status: 503, times: 1 } });
    await client.getState(c, infId);
    await client.destroyInfrastructure(c, infId, { async: false });
    expect(spans.map((s) => s.name)).toEqual(['IM createInfrastructure', 'IM getState', 'IM destroyInfrastructure']);
    expect(spans.every((s) => s.ended)).toBe(true);
    expect(spans[1].attributes).toMatchObject({
      'im.operation': 'getState',
      'im.infrastructure.id': infId,
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'http.request.resend_count': 1,
    });
  });

  it('marks the span as an error with the error kind, and never records the Authorization header', async () => {
    const spans: Recorded[] = [];
    const client = h.clientWith({ tracer: recordingTracer(spans) });
    await expect(client.getState(ctx(), '8d0c2b4e-0000-1000-8000-000000000000')).rejects.toMatchObject({ kind: 'not_found' });
    expect(spans[0].status?.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0].attributes).toMatchObject({ 'error.type': 'not_found', 'http.response.status_code': 404 });
    expect(JSON.stringify(spans)).not.toMatch(/orch-secret|eyJ/);
  });
});
