import type { Logger } from '../services/logger.js';
import { loggableError } from '../services/loggable-error.js';
import { startHttpServer, type RunningServer } from './http-server.js';
import type { ProcessMetrics } from './process-metrics.js';

/** A process without the API (the worker) serves its metrics on a port of its own: GET /metrics, nothing else. */
export function startMetricsServer(metrics: ProcessMetrics, port: number, host: string): Promise<RunningServer> {
  return startHttpServer(
    async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname !== '/metrics') return new Response('Not found: metrics are at /metrics\n', { status: 404 });
      if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed\n', { status: 405, headers: { Allow: 'GET, HEAD' } });
      const { body, contentType } = await metrics.scrape();
      return new Response(body, { headers: { 'Content-Type': contentType } });
    },
    port,
    host,
  );
}

/**
 * The worker's metrics endpoint, or none when `port` is 0. A port already taken (a second worker on the host)
 * costs the metrics, not the worker: it logs why and goes on processing jobs.
 */
export async function serveWorkerMetrics(metrics: ProcessMetrics, port: number, host: string, logger: Logger): Promise<RunningServer | undefined> {
  if (port === 0) return undefined;
  try {
    return await startMetricsServer(metrics, port, host);
  } catch (err) {
    logger.warn({ err: loggableError(err), port }, 'worker metrics are not served: cannot listen on WORKER_METRICS_PORT');
    return undefined;
  }
}
