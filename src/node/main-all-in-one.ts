import { startWorkers } from '../../workers/start-workers.js';
import { bootConfig, fatal } from './boot.js';
import { createLogger, loggerOptionsFrom } from './logger.js';
import { createProcessMetrics } from './process-metrics.js';
import { closeQueues } from './queues.js';
import { ensureLocalRedis } from './redis-autostart.js';
import { resolveSecretKey } from './secret-key.js';
import { openSharedServices } from './services.js';
import { servicesOver } from './build-services.js';
import { QUEUE_BOARD_PATH, resolveQueueBoardAccess } from './queue-board.js';
import { installGracefulShutdown, shutdownDeadlineMs } from './shutdown.js';
import { startImSimulator } from './im-sim-server.js';
import { baseUrlOf, startApi, trustedIssuers } from './start-api.js';
import { startTelemetry } from './telemetry.js';

const config = bootConfig('all-in-one');
const logger = createLogger(config.logLevel, 'orchestrator', loggerOptionsFrom(config));

try {
  const started = Date.now();
  const telemetry = await startTelemetry('orchestrator');
  const localRedis = config.redisUrl ? undefined : await ensureLocalRedis((msg) => logger.info({}, msg));
  const redisUrl = config.redisUrl ?? localRedis!.url;
  const services = await openSharedServices(config, redisUrl, logger);
  const baseUrl = baseUrlOf(config);
  const imSimulator = config.im.url ? undefined : await startImSimulator({ mode: 'dev', tosca: services.tosca, acceptedIssuers: trustedIssuers(config) });
  const imUrl = config.im.url ?? imSimulator!.url;
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  // One registry for API, workers and IM client: everything on the API's /metrics.
  const metrics = createProcessMetrics();
  const engine = await servicesOver(config, services, { logger, imUrl, secretKey, imObserver: metrics.im });
  const workers = await startWorkers(config, services, engine, redisUrl, metrics);
  const queueBoard = resolveQueueBoardAccess(config, secretKey, logger);
  const { server, devIssuer, drain } = await startApi(config, services, engine, { imUrl, queueBoard, metrics });
  installGracefulShutdown(logger, () => [
    ['drain', drain],
    ['http', () => server.close(config.shutdown.graceMs)],
    ['workers', async () => void (await workers.shutdown(config.shutdown.graceMs))],
    ['log lines', () => engine.logs.flush()],
    ['queues', () => closeQueues(services.queues)],
    ['redis', async () => void services.redis.disconnect()],
    ['database', services.database.close],
    ['im simulator', async () => imSimulator?.close()],
    ['local redis', async () => localRedis?.stop()],
    ['telemetry', telemetry.shutdown],
  ], shutdownDeadlineMs(config));
  const lines = [
    `Orchestrator is up in ${((Date.now() - started) / 1000).toFixed(1)} s (all-in-one: API + worker + schedulers)`,
    `  API:      ${baseUrl}/api/v1   (health: ${baseUrl}/api/v1/health)`,
    `  Docs:     ${baseUrl}/docs     (OpenAPI: ${baseUrl}/api/v1/openapi.json)`,
    `  Database: ${services.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}/pgdata` : 'PostgreSQL (DATABASE_URL)'}`,
    `  Redis:    ${redisUrl}`,
    `  IM:       ${imSimulator ? `built-in simulator at ${imUrl} (control API: ${imUrl}/__sim)` : imUrl}`,
  ];
  if (queueBoard) {
    const who = queueBoard.generated ? `user ${queueBoard.user}, password ${queueBoard.password}` : 'BULL_BOARD_USER / BULL_BOARD_PASSWORD';
    lines.push(`  Queues:   ${baseUrl}${QUEUE_BOARD_PATH}   (${who}; or an admin token at ${baseUrl}${QUEUE_BOARD_PATH}/login)`);
  }
  if (devIssuer) {
    lines.push(
      `  Auth:     dev issuer ON (${devIssuer.issuer}) — get a token with:`,
      `            npm run token -- --sub alice --groups users     (add ,admins for an admin)`,
    );
  }
  console.log(lines.join('\n'));
} catch (err) {
  fatal('orchestrator failed to start', err);
}
