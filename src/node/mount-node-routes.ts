import type { OpenAPIHono } from '@hono/zod-openapi';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { AppEnv } from '../http/env.js';
import { mountQueueBoard, type QueueBoardAccess } from './queue-board.js';
import type { QueueCatalogue } from './queues.js';

/** Node-only routes: Prometheus metrics with per-route request counts and latencies, and the queue board. */
export function mountNodeRoutes(queues: QueueCatalogue, options: { queueBoard?: QueueBoardAccess } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // One labelled child per method, route and status, so a request skips prom-client's label hashing.
  const children = new Map<string, { requests: { inc(): void }; latency: { observe(v: number): void } }>();
  const childFor = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = { requests: requests.labels(method, route, String(status)), latency: latency.labels(method, route) };
      children.set(key, child);
    }
    return child;
  };
  return (app: OpenAPIHono<AppEnv>) => {
    app.use('/api/*', async (c, next) => {
      const started = performance.now();
      await next();
      const child = childFor(c.req.method, c.req.routePath, c.res.status);
      child.requests.inc();
      child.latency.observe((performance.now() - started) / 1000);
    });
    app.get('/metrics', async (c) => c.text(await registry.metrics(), 200, { 'Content-Type': registry.contentType }));
    if (options.queueBoard) mountQueueBoard(app, queues, options.queueBoard);
  };
}
