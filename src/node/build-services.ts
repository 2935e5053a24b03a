import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { ProviderRegistry } from '../domain/provider-registry.js';
import { createImClient, type ImCallObserver } from '../im/index.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Logger } from '../services/logger.js';
import { noEventPublisher } from '../services/events/deployment-events.js';
import { createLogPublisher } from '../services/logs/log-publisher.js';
import { createSecretBox } from '../services/secret-box.js';
import type { Services } from '../services/services.js';
import { createTokenRefresher } from '../services/tokens/fresh-access-token.js';
import type { ToscaEngine } from '../tosca/index.js';
import type { OpenDatabase } from './database.js';
import { redisEventPublisher } from './deployment-events.js';
import { bullmqJobQueue } from './queues.js';
import type { SharedServices } from './services.js';

/** Without IM_URL every IM call fails clearly (the deployment records why) instead of hanging. */
const NO_IM_URL = 'http://im-url-not-configured.invalid';

export interface ServiceParts {
  config: Config;
  database: OpenDatabase;
  queue: JobQueue;
  providers: ProviderRegistry;
  tosca: ToscaEngine;
  logger: Logger;
  secretKey: string;
  imUrl?: string;
  /** The producer connection deployment events are published over; without it they go nowhere. */
  redis?: Redis;
  /** Sees every IM request (metrics). */
  imObserver?: ImCallObserver;
}

/** The one services bag the API and the workers share. */
export async function buildServices(p: ServiceParts): Promise<Services> {
  const secrets = await createSecretBox(p.secretKey);
  const { config } = p;
  const now = () => new Date();
  return {
    db: p.database.db,
    queue: p.queue,
    tosca: p.tosca,
    providers: p.providers,
    im: createImClient({
      baseUrl: p.imUrl ?? config.im.url ?? NO_IM_URL,
      credentials: { username: config.im.username, password: config.im.password },
      timeoutMs: config.im.timeoutMs,
      observer: p.imObserver,
    }),
    secrets,
    tokens: createTokenRefresher({
      clientId: config.oidc.clientId ?? (config.oidc.devIssuer ? 'orchestrator' : undefined),
      clientSecret: config.oidc.clientSecret,
      secrets,
    }),
    logger: p.logger,
    logs: createLogPublisher({ queue: p.queue, logger: p.logger, flushMs: config.logs.flushMs, now }),
    events: p.redis ? redisEventPublisher(p.redis, config.queuePrefix, p.logger) : noEventPublisher,
    logLimits: { maxLinesPerDeployment: config.logs.maxLinesPerDeployment, imSnapshotMs: config.logs.imSnapshotMs },
    poll: { baseMs: config.im.pollBaseMs, maxMs: config.im.pollMaxMs },
    now,
  };
}

/** The services bag over the process's shared connections. */
export function servicesOver(
  config: Config,
  shared: SharedServices,
  o: { logger: Logger; secretKey: string; imUrl?: string; imObserver?: ImCallObserver },
): Promise<Services> {
  return buildServices({
    config,
    database: shared.database,
    queue: bullmqJobQueue(shared.queues),
    redis: shared.redis,
    providers: shared.providers,
    tosca: shared.tosca,
    logger: o.logger,
    secretKey: o.secretKey,
    imUrl: o.imUrl,
    imObserver: o.imObserver,
  });
}
