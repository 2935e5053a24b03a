import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Serves a fetch handler; `close` stops accepting, drains in-flight requests, then resolves. */
export function startHttpServer(fetch: FetchHandler, port: number, hostname: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
        const host = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      });
      server.once('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
