import { startWorkers } from './start-workers.js';
import { bootConfig, fatal } from '../src/node/boot.js';
import { openSharedServices } from '../src/node/services.js';
import { closeQueues } from '../src/node/queues.js';
import { createLogger, loggerOptionsFrom } from '../src/node/logger.js';
import { serveWorkerMetrics } from '../src/node/metrics-server.js';
import { createProcessMetrics } from '../src/node/process-metrics.js';
import { servicesOver } from '../src/node/build-services.js';
import { installGracefulShutdown, shutdownDeadlineMs } from '../src/node/shutdown.js';
import { startTelemetry } from '../src/node/telemetry.js';

const config = bootConfig('worker');
const logger = createLogger(config.logLevel, 'orchestrator-worker', loggerOptionsFrom(config));
if (!config.redisUrl) fatal('REDIS_URL is required for `npm run worker`');

try {
  const telemetry = await startTelemetry('orchestrator-worker');
  const services = await openSharedServices(config, config.redisUrl, logger);
  const metrics = createProcessMetrics();
  const engine = await servicesOver(config, services, { logger, secretKey: config.secretKey!, imObserver: metrics.im });
  const workers = await startWorkers(config, services, engine, config.redisUrl, metrics);
  const metricsServer = await serveWorkerMetrics(metrics, config.workerMetricsPort, config.host, logger);
  logger.info({ concurrency: config.workerConcurrency, prefix: config.queuePrefix, worker: workers.name, metrics: metricsServer && `${metricsServer.url}/metrics` }, 'worker started');
  installGracefulShutdown(logger, () => [
    ['workers', async () => void (await workers.shutdown(config.shutdown.graceMs))],
    ['metrics', async () => metricsServer?.close(1_000)],
    ['log lines', () => engine.logs.flush()],
    ['queues', () => closeQueues(services.queues)],
    ['redis', async () => void services.redis.disconnect()],
    ['database', services.database.close],
    ['telemetry', telemetry.shutdown],
  ], shutdownDeadlineMs(config));
} catch (err) {
  fatal('worker failed to start', err);
}
