import { startWorkers } from './start-workers.js';
import { bootConfig, fatal } from '../src/node/boot.js';
import { openSharedServices } from '../src/node/services.js';
import { closeQueues } from '../src/node/queues.js';
import { createLogger } from '../src/node/logger.js';
import { servicesOver } from '../src/node/build-services.js';
import { installGracefulShutdown, shutdownDeadlineMs } from '../src/node/shutdown.js';

const config = bootConfig('worker');
const logger = createLogger(config.logLevel, 'orchestrator-worker');
if (!config.redisUrl) fatal('REDIS_URL is required for `npm run worker`');

try {
  const services = await openSharedServices(config, config.redisUrl, logger);
  const engine = await servicesOver(config, services, { logger, secretKey: config.secretKey! });
  const workers = await startWorkers(config, services, engine, config.redisUrl);
  logger.info({ concurrency: config.workerConcurrency, prefix: config.queuePrefix, worker: workers.name }, 'worker started');
  installGracefulShutdown(logger, () => [
    ['workers', async () => void (await workers.shutdown(config.shutdown.graceMs))],
    ['log lines', () => engine.logs.flush()],
    ['queues', () => closeQueues(services.queues)],
    ['redis', async () => void services.redis.disconnect()],
    ['database', services.database.close],
  ], shutdownDeadlineMs(config));
} catch (err) {
  fatal('worker failed to start', err);
}
