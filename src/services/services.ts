import type { Logger } from './logger.js';
import type { Database } from '../db/database.js';
import type { ProviderRegistry } from '../domain/provider-registry.js';
import type { ImClient } from '../im/index.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ToscaEngine } from '../tosca/index.js';
import type { EventPublisher } from './events/deployment-events.js';
import type { LogPublisher } from './logs/log-publisher.js';
import type { SecretBox } from './secret-box.js';
import type { TokenRefresher } from './tokens/fresh-access-token.js';

/** How long the engine waits between IM polls, doubling from base to max. */
export interface PollSettings {
  baseMs: number;
  maxMs: number;
}

export interface LogLimits {
  /** Orchestrator lines stored per deployment; a marker says when later ones were dropped. */
  maxLinesPerDeployment: number;
  /** How often, at most, the IM log of a running deployment is fetched. */
  imSnapshotMs: number;
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
  /** Orchestrator log lines of deployments, batched into the log-ingest queue. */
  logs: LogPublisher;
  /** Status/task changes and new log lines, for the live event streams of every API replica. */
  events: EventPublisher;
  logLimits: LogLimits;
  poll: PollSettings;
  now: () => Date;
}
