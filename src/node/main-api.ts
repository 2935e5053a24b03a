import { bootConfig, fatal } from './boot.js';
import { createLogger, loggerOptionsFrom } from './logger.js';
import { createProcessMetrics } from './process-metrics.js';
import { closeQueues } from './queues.js';
import { openSharedServices } from './services.js';
import { resolveQueueBoardAccess } from './queue-board.js';
import { installGracefulShutdown, shutdownDeadlineMs } from './shutdown.js';
import { startApi } from './start-api.js';
import { startTelemetry } from './telemetry.js';
import { servicesOver } from './build-services.js';

const config = bootConfig('api');
const logger = createLogger(config.logLevel, 'orchestrator-api', loggerOptionsFrom(config));
if (!config.redisUrl) fatal('REDIS_URL is required for `npm run api` (the all-in-one `npm start` can start Redis itself)');

try {
  const telemetry = await startTelemetry('orchestrator-api');
  const services = await openSharedServices(config, config.redisUrl, logger);
  const metrics = createProcessMetrics();
  const engine = await servicesOver(config, services, { logger, secretKey: config.secretKey!, imObserver: metrics.im });
  const queueBoard = resolveQueueBoardAccess(config, config.secretKey!, logger);
  const { server, drain } = await startApi(config, services, engine, { queueBoard, metrics });
  logger.info({ url: server.url }, 'API listening');
  installGracefulShutdown(logger, () => [
    ['drain', drain],
    ['http', () => server.close(config.shutdown.graceMs)],
    ['log lines', () => engine.logs.flush()],
    ['queues', () => closeQueues(services.queues)],
    ['redis', async () => void services.redis.disconnect()],
    ['database', services.database.close],
    ['telemetry', telemetry.shutdown],
  ], shutdownDeadlineMs(config));
} catch (err) {
  fatal('API failed to start', err);
}
