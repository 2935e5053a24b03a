import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { isImError } from './errors.js';

export const IM_TRACER_NAME = 'orchestrator.im-client';

export function defaultImTracer(): Tracer {
  return trace.getTracer(IM_TRACER_NAME);
}

/** Runs one IM call inside a CLIENT span named `IM <operation>`; errors mark the span. */
export function inImSpan<T>(tracer: Tracer, operation: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(
    `IM ${operation}`,
    { kind: SpanKind.CLIENT, attributes: { 'im.operation': operation, ...attributes } },
    async (span) => {
      try {
        const result = await fn(span);
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (e) {
        if (isImError(e)) {
          span.setAttribute('error.type', e.kind);
          if (e.status !== undefined) span.setAttribute('http.response.status_code', e.status);
        }
        span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}

/** Adds W3C trace context headers for the active span (no-op without a registered propagator). */
export function injectTraceHeaders(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}
