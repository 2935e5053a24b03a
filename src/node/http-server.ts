import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting and waits for in-flight requests; after `graceMs` (unbounded by default) drops what is left. */
  close(graceMs?: number): Promise<void>;
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
          close: (graceMs?: number) =>
            new Promise<void>((done) => {
              const http = server as Partial<Pick<Server, 'closeIdleConnections' | 'closeAllConnections'>>;
              // A keep-alive connection goes idle once its in-flight request is answered: close it then.
              const sweep = setInterval(() => http.closeIdleConnections?.(), 50);
              const force = graceMs === undefined ? undefined : setTimeout(() => http.closeAllConnections?.(), graceMs);
              server.close(() => {
                clearInterval(sweep);
                clearTimeout(force);
                done();
              });
              http.closeIdleConnections?.();
            }),
        });
      });
      server.once('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
