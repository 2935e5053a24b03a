import { createApp } from '../app.js';
import { bootConfig, fatal } from './boot.js';
import { buildAppDeps } from './build-app-deps.js';
import { loadOrCreateDevIssuer } from './dev-issuer.js';
import { startHttpServer } from './http-server.js';
import { createLogger } from './logger.js';
import { mountNodeRoutes } from './mount-node-routes.js';
import { bullmqJobQueue, closeQueues } from './queues.js';
import { openSharedServices } from './services.js';
import { installGracefulShutdown } from './shutdown.js';

const config = bootConfig('api');
const logger = createLogger(config.logLevel, 'orchestrator-api');
if (!config.redisUrl) fatal('REDIS_URL is required for `npm run api` (the all-in-one `npm start` can start Redis itself)');

try {
  const services = await openSharedServices(config, config.redisUrl, logger);
  const devIssuer = config.oidc.devIssuer
    ? await loadOrCreateDevIssuer(config.dataDir, `${config.publicUrl ?? `http://127.0.0.1:${config.port}`}/dev-issuer`)
    : undefined;
  const deps = await buildAppDeps({
    config,
    database: services.database,
    redis: services.redis,
    queue: bullmqJobQueue(services.queues),
    logger,
    tosca: services.tosca,
    secretKey: config.secretKey!,
    devIssuer,
  });
  const app = createApp(deps, { mount: mountNodeRoutes(services.queues) });
  const server = await startHttpServer(app.fetch, config.port, config.host);
  logger.info({ url: server.url }, 'API listening');
  installGracefulShutdown(logger, () => [
    ['http', server.close],
    ['queues', () => closeQueues(services.queues)],
    ['redis', async () => void services.redis.disconnect()],
    ['database', services.database.close],
  ]);
} catch (err) {
  fatal('API failed to start', err);
}
