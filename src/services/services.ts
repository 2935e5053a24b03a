import type { Logger } from './logger.js';
import type { Database } from '../db/database.js';
import type { ProviderRegistry } from '../domain/provider-registry.js';
import type { ImClient } from '../im/index.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ToscaEngine } from '../tosca/index.js';
import type { SecretBox } from './secret-box.js';
import type { TokenRefresher } from './tokens/fresh-access-token.js';

/** How long the engine waits between IM polls, doubling from base to max. */
export interface PollSettings {
  baseMs: number;
  maxMs: number;
}

/**
 * What the verbs need, whoever calls them: a route (create + enqueue) or a processor (IM calls,
 * re-scheduling). Built once in src/node/ and handed to both sides.
 */
export interface Services {
  db: Database;
  queue: JobQueue;
  tosca: ToscaEngine;
  providers: ProviderRegistry;
  im: ImClient;
  secrets: SecretBox;
  tokens: TokenRefresher;
  logger: Logger;
  poll: PollSettings;
  now: () => Date;
}
