import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/database.js';
import type { AppEnv } from '../http/env.js';
import type { ImCallObserver } from '../im/index.js';
import { deploymentStatusGauge } from './deployment-metrics.js';
import { httpMetrics } from './http-metrics.js';
import { imCallMetrics } from './im-metrics.js';
import { queueDepthGauge } from './queue-depth-metrics.js';
import type { QueueCatalogue } from './queues.js';
import { jobMetrics, type JobObserver } from './worker-metrics.js';

/** How long a scrape waits for Redis or the database before leaving their series out. */
const COLLECT_TIMEOUT_MS = 1_000;
/** Deployments are counted at most this often, however many scrapers there are. */
const DEPLOYMENT_COUNT_CACHE_MS = 5_000;

/**
 * The one Prometheus registry of a process. API, worker pool and IM client each take their part from it, so
 * the all-in-one process serves everything on one /metrics; every part is created once however often asked for.
 */
export interface ProcessMetrics {
  registry: Registry;
  im: ImCallObserver;
  jobs(): JobObserver;
  http(): MiddlewareHandler<AppEnv>;
  watchQueues(queues: QueueCatalogue): void;
  /** Starts the deployments-by-status gauge on first call; later calls only point it at `db`. */
  countDeployments(db: Database): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

export function createProcessMetrics(o: { collectTimeoutMs?: number; deploymentCountCacheMs?: number } = {}): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const collectErrors = new Counter({
    name: 'orchestrator_metrics_collect_errors_total',
    help: 'Scrapes that could not read a series source in time (redis: queue depth, database: deployments)',
    labelNames: ['source'],
    registers: [registry],
  });
  const timeoutMs = o.collectTimeoutMs ?? COLLECT_TIMEOUT_MS;
  const once = <T>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const jobs = once(() => jobMetrics(registry));
  const http = once(() => httpMetrics(registry));
  const deployments = once(() =>
    deploymentStatusGauge(registry, { cacheMs: o.deploymentCountCacheMs ?? DEPLOYMENT_COUNT_CACHE_MS, timeoutMs, onError: () => collectErrors.labels('database').inc() }),
  );
  let watching = false;
  return {
    registry,
    im: imCallMetrics(registry),
    jobs,
    http,
    watchQueues(queues) {
      if (watching) return;
      watching = true;
      queueDepthGauge(registry, queues, { timeoutMs, onError: () => collectErrors.labels('redis').inc() });
    },
    countDeployments: (db) => deployments().use(db),
    async scrape() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
