import { context, isSpanContextValid, propagation, SpanKind, SpanStatusCode, trace, type TextMapGetter } from '@opentelemetry/api';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env.js';

const tracer = trace.getTracer('orchestrator-api');

const fromHeaders: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * One server span per request, continuing the caller's trace when it sends W3C `traceparent`;
 * a no-op until an OpenTelemetry SDK is registered by the process.
 */
export const traceRequests = createMiddleware<AppEnv>(async (c, next) => {
  const parent = propagation.extract(context.active(), c.req.raw.headers, fromHeaders);
  const span = tracer.startSpan(`${c.req.method} ${c.req.path}`, { kind: SpanKind.SERVER }, parent);
  // Without an SDK the span is an invalid no-op: skip the context switch and the attributes.
  if (!isSpanContextValid(span.spanContext())) return next();
  await context.with(trace.setSpan(parent, span), async () => {
    try {
      await next();
      span.updateName(`${c.req.method} ${c.req.routePath}`);
      span.setAttributes({
        'http.request.method': c.req.method,
        'http.route': c.req.routePath,
        'http.response.status_code': c.res.status,
        'orchestrator.request_id': c.get('requestId'),
      });
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } finally {
      span.end();
    }
  });
});
