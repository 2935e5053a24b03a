import type { JSONWebKeySet } from 'jose';
import type { Database } from './db/database.js';
import type { TokenVerifier } from './http/auth/identity.js';
import type { ToscaEngine } from './tosca/index.js';
import type { JobQueue } from './queue/job-queue.js';
import type { SecretBox } from './services/secret-box.js';
import type { UserRegistry } from './services/users/user-registry.js';

/** Structured logger port (pino satisfies it). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A health probe resolves when the dependency answers and rejects with the reason otherwise. */
export type HealthProbe = () => Promise<void>;

export interface AppSettings {
  /** Base URL used for absolute links and Location headers when behind a proxy. */
  publicUrl?: string;
  bodyLimitBytes: number;
  corsOrigins?: string[];
  imUrl?: string;
  oidcIssuers: string[];
  opaUrl?: string;
  vaultUrl?: string;
}

export interface AppDeps {
  settings: AppSettings;
  db: Database;
  auth: TokenVerifier;
  users: UserRegistry;
  queue: JobQueue;
  secrets: SecretBox;
  tosca: ToscaEngine;
  logger: Logger;
  health: { db: HealthProbe; redis: HealthProbe; opa?: HealthProbe; vault?: HealthProbe };
  /** The local development issuer, served under /dev-issuer when enabled. */
  devIssuer?: { issuer: string; jwks: JSONWebKeySet };
  now?: () => Date;
}
