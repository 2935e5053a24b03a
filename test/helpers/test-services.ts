import type { Logger } from '../../src/app-deps.js';
import { loadConfig } from '../../src/config.js';
import { buildServices } from '../../src/node/build-services.js';
import type { OpenDatabase } from '../../src/node/database.js';
import { loadProviderRegistry } from '../../src/node/providers-file.js';
import { bullmqJobQueue, type QueueCatalogue } from '../../src/node/queues.js';
import type { Services } from '../../src/services/services.js';
import { sharedToscaEngine } from './tosca.js';

export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef0123';

/** The services bag a worker gets, over a test's database and queues (and IM, when given). */
export async function createTestServices(o: { database: OpenDatabase; queues: QueueCatalogue; logger: Logger; env?: Record<string, string> }): Promise<Services> {
  const config = loadConfig({ SECRET_KEY: TEST_SECRET_KEY, ...o.env }, 'tool');
  return buildServices({
    config,
    database: o.database,
    queue: bullmqJobQueue(o.queues),
    providers: loadProviderRegistry(config.providersFile),
    tosca: await sharedToscaEngine(),
    logger: o.logger,
    secretKey: TEST_SECRET_KEY,
  });
}
