import type { Redis } from 'ioredis';
import type { AppDeps } from '../../src/app-deps.js';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { buildAppDeps } from '../../src/node/build-app-deps.js';
import { buildServices } from '../../src/node/build-services.js';
import { redisEventFeed, type RedisEventFeed } from '../../src/node/deployment-events.js';
import { loadProviderRegistry } from '../../src/node/providers-file.js';
import { startHttpServer } from '../../src/node/http-server.js';
import { mountNodeRoutes } from '../../src/node/mount-node-routes.js';
import { resolveQueueBoardAccess } from '../../src/node/queue-board.js';
import { bullmqJobQueue, closeQueues, createQueues, type QueueCatalogue } from '../../src/node/queues.js';
import { createProducerConnection, waitForReady } from '../../src/node/redis.js';
import { sharedToscaEngine } from './tosca.js';
import { deleteRedisPrefix } from './redis-cleanup.js';
import { TEST_REDIS_URL } from './env.js';
import { createMemoryLogger } from './memory-logger.js';
import { startTestIssuer, type MintOptions, type TestIssuer } from './oidc-issuer.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { TEST_SECRET_KEY } from './test-services.js';

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApp {
  url: string;
  deps: AppDeps;
  config: Config;
  database: TestDatabase;
  issuer: TestIssuer;
  queues: QueueCatalogue;
  redis: Redis;
  prefix: string;
  /** The live deployment events of this API instance. */
  eventFeed: RedisEventFeed;
  logger: ReturnType<typeof createMemoryLogger>;
  token(sub: string, options?: MintOptions & { groups?: string[] }): Promise<string>;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
  close(): Promise<void>;
}

/**
 * The whole API over real HTTP, on its own database clone, its own BullMQ prefix and its own
 * OIDC issuer: test files never see each other's data.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Partial<AppDeps> = {},
  options: { nodeRoutes?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const issuer = await startTestIssuer({ audience: env.OIDC_AUDIENCE });
  const prefix = `test-${crypto.randomUUID().slice(0, 8)}`;
  const config = loadConfig(
    { OIDC_ISSUERS: issuer.issuer, DATABASE_URL: database.url, ADMIN_GROUPS: 'admins', SECRET_KEY: TEST_SECRET_KEY, QUEUE_PREFIX: prefix, ...env },
    'api',
  );
  const redis = createProducerConnection(TEST_REDIS_URL);
  redis.on('error', () => {});
  await waitForReady(redis);
  const queues = createQueues(redis, prefix);
  const logger = createMemoryLogger();
  const eventFeed = redisEventFeed(redis, prefix, logger);
  const deps = {
    ...buildAppDeps({
      config,
      database,
      redis,
      eventFeed,
      services: await buildServices({
        redis,
        config,
        database,
        queue: bullmqJobQueue(queues),
        providers: loadProviderRegistry(config.providersFile),
        logger,
        secretKey: TEST_SECRET_KEY,
        tosca: await sharedToscaEngine(),
      }),
    }),
    ...overrides,
  };
  const queueBoard = options.nodeRoutes ? resolveQueueBoardAccess(config, TEST_SECRET_KEY, logger) : undefined;
  const app = createApp(deps, options.nodeRoutes ? { mount: mountNodeRoutes(queues, { queueBoard }) } : {});
  const server = await startHttpServer(app.fetch, 0, '127.0.0.1');

  return {
    url: server.url,
    deps,
    config,
    database,
    issuer,
    queues,
    redis,
    prefix,
    eventFeed,
    logger,
    token: (sub, o = {}) => issuer.mint(sub, { ...o, claims: { groups: o.groups ?? ['users'], ...o.claims } }),
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body = o.body;
      if (o.json !== undefined) {
        body = JSON.stringify(o.json);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${server.url}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
    async close() {
      await eventFeed.close();
      await server.close();
      await deps.logs.flush();
      await Promise.allSettled(Object.values(queues).map((q) => q.obliterate({ force: true })));
      await closeQueues(queues);
      redis.disconnect();
      await deleteRedisPrefix(`${prefix}:events`);
      await issuer.close();
      await database.drop();
    },
  };
}
