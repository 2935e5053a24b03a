import type { Span, Tracer } from '@opentelemetry/api';
import { errorFromResponse } from './classify-response.js';
import { ImError } from './errors.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { inImSpan, injectTraceHeaders } from './tracing.js';
import type { ImCallObserver } from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallSpec {
  operation: string;
  method: HttpMethod;
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  authorization?: string;
  headers?: Record<string, string>;
  /** Only idempotent calls are retried. */
  retry: boolean;
  /** An error that, on a retry, means an earlier attempt already succeeded. */
  doneOnRetry?: (e: ImError) => boolean;
  signal?: AbortSignal;
  infId?: string;
  vmId?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
}

export interface HttpEnv {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  tracer: Tracer;
  retryPolicy: RetryPolicy;
  observer?: ImCallObserver;
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, string | undefined>): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function linkedAbort(timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('IM call timed out'));
  }, timeoutMs);
  const onOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

/** Reports one attempt to the observer; metrics must never turn a good IM answer into a failure. */
async function observed(env: HttpEnv, operation: string, attempt: () => Promise<CallResult>): Promise<CallResult> {
  const observer = env.observer;
  if (!observer) return attempt();
  const started = performance.now();
  const report = (errorKind?: ImError['kind']) => {
    try {
      observer.attemptEnded({ operation, durationMs: performance.now() - started, errorKind });
    } catch {
      // A broken observer loses one sample, not the call.
    }
  };
  try {
    const result = await attempt();
    report();
    return result;
  } catch (e) {
    report(e instanceof ImError ? e.kind : 'unavailable');
    throw e;
  }
}

async function attemptOnce(env: HttpEnv, spec: CallSpec, url: string): Promise<CallResult> {
  const headers: Record<string, string> = { Accept: 'application/json', ...spec.headers };
  if (spec.authorization !== undefined) headers.Authorization = spec.authorization;
  if (spec.contentType !== undefined) headers['Content-Type'] = spec.contentType;
  injectTraceHeaders(headers);
  const abort = linkedAbort(env.timeoutMs, spec.signal);
  try {
    const res = await env.fetch(url, { method: spec.method, headers, body: spec.body, signal: abort.signal });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, text };
    throw errorFromResponse(spec.operation, res.status, text, res.headers.get('content-type'), res.headers.get('retry-after'));
  } catch (e) {
    if (e instanceof ImError) throw e;
    if (abort.timedOut()) {
      throw new ImError(`IM ${spec.operation} timed out after ${env.timeoutMs} ms`, {
        kind: 'timeout',
        operation: spec.operation,
        cause: e,
      });
    }
    if (spec.signal?.aborted) {
      throw new ImError(`IM ${spec.operation} was cancelled`, { kind: 'timeout', operation: spec.operation, cause: e });
    }
    throw new ImError(`IM ${spec.operation} could not reach the IM: ${e instanceof Error ? e.message : String(e)}`, {
      kind: 'unavailable',
      operation: spec.operation,
      cause: e,
    });
  } finally {
    abort.dispose();
  }
}

/** Sends one IM request with timeout, retries (idempotent calls only) and a span. */
export function callIm(env: HttpEnv, spec: CallSpec): Promise<CallResult> {
  const url = buildUrl(env.baseUrl, spec.path, spec.query);
  const attributes = {
    'http.request.method': spec.method,
    'url.full': url,
    ...(spec.infId !== undefined ? { 'im.infrastructure.id': spec.infId } : {}),
    ...(spec.vmId !== undefined ? { 'im.vm.id': spec.vmId } : {}),
  };
  const policy = spec.retry ? env.retryPolicy : { ...env.retryPolicy, retries: 0 };
  return inImSpan(env.tracer, spec.operation, attributes, async (span: Span) => {
    const result = await withRetry(
      policy,
      (n) => {
        if (n > 0) span.setAttribute('http.request.resend_count', n);
        const once = observed(env, spec.operation, () => attemptOnce(env, spec, url));
        if (n === 0 || !spec.doneOnRetry) return once;
        return once.catch((e: unknown) => {
          if (e instanceof ImError && spec.doneOnRetry?.(e)) return { status: 200, headers: new Headers(), text: '' };
          throw e;
        });
      },
      spec.signal,
    );
    span.setAttribute('http.response.status_code', result.status);
    return result;
  });
}
