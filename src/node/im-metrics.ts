import { Counter, Histogram, type Registry } from 'prom-client';
import type { ImCallObserver } from '../im/index.js';

/** IM request latency by operation and outcome, and failed requests by operation and error kind. */
export function imCallMetrics(registry: Registry): ImCallObserver {
  const duration = new Histogram({
    name: 'orchestrator_im_request_duration_seconds',
    help: 'Duration of HTTP requests to the IM by operation and outcome (ok or error); each retry is one request',
    labelNames: ['operation', 'outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'orchestrator_im_request_errors_total',
    help: 'Failed HTTP requests to the IM by operation and error kind (auth, not_found, unavailable, timeout, ...)',
    labelNames: ['operation', 'kind'],
    registers: [registry],
  });
  return {
    attemptEnded({ operation, durationMs, errorKind }) {
      duration.labels(operation, errorKind ? 'error' : 'ok').observe(durationMs / 1000);
      if (errorKind) errors.labels(operation, errorKind).inc();
    },
  };
}
