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

/** Bounds on slow clients (see Config.http); a response, however long it streams, is never cut. */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000 };

/**
 * Node enforces headersTimeout and requestTimeout only when it sweeps its connections (every 30 s by
 * default), so a slow client could hold a socket that much longer: sweep a few times per bound instead.
 */
function sweepIntervalMs(l: HttpLimits): number {
  return Math.max(50, Math.min(1000, Math.floor(Math.min(l.headersTimeoutMs, l.requestTimeoutMs) / 4)));
}

/** Serves a fetch handler; `close` stops accepting, drains in-flight requests, then resolves. */
export function startHttpServer(fetch: FetchHandler, port: number, hostname: string, limits: Partial<HttpLimits> = {}): Promise<RunningServer> {
  const l = { ...DEFAULT_HTTP_LIMITS, ...limits };
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      const serverOptions = { headersTimeout: l.headersTimeoutMs, requestTimeout: l.requestTimeoutMs, connectionsCheckingInterval: sweepIntervalMs(l) };
      server = serve({ fetch, port, hostname, serverOptions }, (info: AddressInfo) => {
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
      (server as Server).keepAliveTimeout = l.keepAliveTimeoutMs;
      server.once('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
