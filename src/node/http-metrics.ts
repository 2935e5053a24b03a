import { Counter, Histogram, type Registry } from 'prom-client';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.js';

/** Counts and times API requests by method, route template and status. */
export function httpMetrics(registry: Registry): MiddlewareHandler<AppEnv> {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // One labelled child per method, route and status, so a request skips prom-client's label hashing.
  const children = new Map<string, { requests: { inc(): void }; latency: { observe(v: number): void } }>();
  const childFor = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      const labels = [method, route, String(status)] as const;
      child = { requests: requests.labels(...labels), latency: latency.labels(...labels) };
      children.set(key, child);
    }
    return child;
  };
  return async (c, next) => {
    const started = performance.now();
    await next();
    const child = childFor(c.req.method, c.req.routePath, c.res.status);
    child.requests.inc();
    child.latency.observe((performance.now() - started) / 1000);
  };
}
