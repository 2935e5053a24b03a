import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { createProcessMetrics, type ProcessMetrics } from './process-metrics.js';
import { mountQueueBoard, type QueueBoardAccess } from './queue-board.js';
import type { QueueCatalogue } from './queues.js';

/**
 * Node-only routes: Prometheus metrics (requests by route and status, queue depth, deployments by status, and
 * whatever else shares the process registry) and the queue board.
 */
export function mountNodeRoutes(queues: QueueCatalogue, options: { queueBoard?: QueueBoardAccess; metrics?: ProcessMetrics } = {}) {
  const metrics = options.metrics ?? createProcessMetrics();
  metrics.watchQueues(queues);
  const countRequests = metrics.http();
  return (app: OpenAPIHono<AppEnv>) => {
    app.use('/api/*', countRequests);
    app.get('/metrics', async (c) => {
      metrics.countDeployments(c.get('deps').db);
      const { body, contentType } = await metrics.scrape();
      return c.text(body, 200, { 'Content-Type': contentType });
    });
    if (options.queueBoard) mountQueueBoard(app, queues, options.queueBoard);
  };
}
