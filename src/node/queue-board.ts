import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { createMiddleware } from 'hono/factory';
import { ForbiddenError } from '../services/errors.js';
import type { AppEnv } from '../http/env.js';
import type { QueueCatalogue } from './queues.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators. Admins only, by bearer token on every request (HTML, assets and its
 * JSON API alike) — put it behind a proxy that forwards the user's token, e.g. oauth2-proxy.
 */
export function mountQueueBoard(app: OpenAPIHono<AppEnv>, queues: QueueCatalogue): void {
  const board = new HonoAdapter(serveStatic);
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  board.setBasePath(QUEUE_BOARD_PATH);
  const adminsOnly = createMiddleware<AppEnv>(async (c, next) => {
    const identity = await c.get('deps').auth.verify(c.req.header('authorization'));
    if (!identity.isAdmin) throw new ForbiddenError('The queue dashboard is for admins');
    await next();
  });
  app.use(QUEUE_BOARD_PATH, adminsOnly);
  app.use(`${QUEUE_BOARD_PATH}/*`, adminsOnly);
  app.route(QUEUE_BOARD_PATH, board.registerPlugin());
}
