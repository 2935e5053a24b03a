import type { Redis } from 'ioredis';
import type { Logger } from '../app-deps.js';
import type { Config } from '../config.js';
import type { ProviderRegistry } from '../domain/provider-registry.js';
import { loadProviderRegistry } from './providers-file.js';
import type { ToscaEngine } from '../tosca/index.js';
import { loadToscaEngine } from './tosca-engine.js';
import { migrateDatabase, openDatabase, type OpenDatabase } from './database.js';
import { createQueues, type QueueCatalogue } from './queues.js';
import { createProducerConnection, waitForReady } from './redis.js';

export interface SharedServices {
  database: OpenDatabase;
  redis: Redis;
  queues: QueueCatalogue;
  providers: ProviderRegistry;
  tosca: ToscaEngine;
}

/** Opens and migrates the database, and connects the producer side of the queues. */
export async function openSharedServices(config: Config, redisUrl: string, logger: Logger): Promise<SharedServices> {
  const providers = loadProviderRegistry(config.providersFile);
  const tosca = await loadToscaEngine({
    typesDir: config.tosca.typesDir,
    remoteImports: { enabled: config.tosca.remoteImports, timeoutMs: 10_000, cacheDir: `${config.dataDir}/tosca-imports` },
  });
  const database = await openDatabase(config.databaseUrl, config.dataDir);
  await migrateDatabase(database, config.databaseUrl);
  logger.info({ driver: database.kind }, 'database ready (migrations applied)');
  const redis = createProducerConnection(redisUrl);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  try {
    await waitForReady(redis);
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot connect to Redis at ${redisUrl.replace(/\/\/[^@]*@/, '//*****@')}: ${(err as Error).message}`);
  }
  const queues = createQueues(redis, config.queuePrefix);
  return { database, redis, queues, providers, tosca };
}
