import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { announceReady } from '../lib/task-main.js';

type Fetch = (request: Request) => Response | Promise<Response>;

/** Listens on an ephemeral loopback port, announces it, and exits cleanly on SIGTERM (so CPU profiles get written). */
export function serveAndAnnounce(fetch: Fetch, onClose: () => Promise<void> = async () => {}): void {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
    announceReady({ url: `http://127.0.0.1:${info.port}`, pid: process.pid });
  });
  const stop = () => {
    server.close();
    if ('closeAllConnections' in server) server.closeAllConnections();
    void onClose().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
