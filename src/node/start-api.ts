import type { Services } from '../services/services.js';
import { createApp } from '../app.js';
import type { Config } from '../config.js';
import { buildAppDeps } from './build-app-deps.js';
import { redisEventFeed } from './deployment-events.js';
import { loadOrCreateDevIssuer, type DevIssuer } from './dev-issuer.js';
import { mountDevIssuerTokenEndpoint } from './dev-issuer-token.js';
import { startHttpServer, type RunningServer } from './http-server.js';
import { mountNodeRoutes } from './mount-node-routes.js';
import type { ProcessMetrics } from './process-metrics.js';
import type { QueueBoardAccess } from './queue-board.js';
import type { SharedServices } from './services.js';

/** The base URL clients use: PUBLIC_URL when set, else loopback on the configured port. */
export function baseUrlOf(config: Config): string {
  return config.publicUrl ?? `http://127.0.0.1:${config.port}`;
}

export function devIssuerUrl(config: Config): string | undefined {
  return config.oidc.devIssuer ? `${baseUrlOf(config)}/dev-issuer` : undefined;
}

/** Every issuer the API trusts, the dev issuer included. */
export function trustedIssuers(config: Config): string[] {
  const dev = devIssuerUrl(config);
  return dev ? [...config.oidc.issuers, dev] : config.oidc.issuers;
}

export interface StartedApi {
  server: RunningServer;
  devIssuer?: DevIssuer;
  /** First shutdown step: health answers 503 from now on; resolves after SHUTDOWN_DRAIN_DELAY_MS, listener still open. */
  drain(): Promise<void>;
}

/** Builds the app on the shared services and serves it; the dev issuer lives under the API's own URL. */
export async function startApi(
  config: Config,
  services: SharedServices,
  engine: Services,
  options: { imUrl?: string; queueBoard?: QueueBoardAccess; metrics?: ProcessMetrics },
): Promise<StartedApi> {
  let draining = false;
  const devUrl = devIssuerUrl(config);
  const devIssuer = devUrl ? await loadOrCreateDevIssuer(config.dataDir, devUrl) : undefined;
  const eventFeed = redisEventFeed(services.redis, config.queuePrefix, engine.logger);
  const deps = buildAppDeps({
    config,
    database: services.database,
    redis: services.redis,
    services: engine,
    eventFeed,
    devIssuer,
    imUrl: options.imUrl,
    draining: () => draining,
  });
  const mountNode = mountNodeRoutes(services.queues, { queueBoard: options.queueBoard, metrics: options.metrics });
  const app = createApp(deps, {
    mount: (a) => {
      mountNode(a);
      if (devIssuer) mountDevIssuerTokenEndpoint(a, devIssuer);
    },
  });
  const http = await startHttpServer(app.fetch, config.port, config.host, config.http);
  // Event streams never end by themselves: they must go before the server can finish its requests.
  const server: RunningServer = { ...http, close: async () => (await eventFeed.close(), http.close()) };
  const drain = async () => {
    draining = true;
    if (config.shutdown.drainDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdown.drainDelayMs));
  };
  return { server, devIssuer, drain };
}
