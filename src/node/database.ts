import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { Database } from '../db/database.js';
import * as schema from '../db/schema.js';

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** Arbitrary constant shared by every replica: only one of them migrates at a time. */
const MIGRATION_LOCK_KEY = 72_410_613;

export interface OpenDatabase {
  db: Database;
  kind: 'postgres' | 'pglite';
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<OpenDatabase> {
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Embedded Postgres in `dataDir/pgdata`: survives restarts, no server needed. */
export async function openPglite(dataDir: string | undefined): Promise<OpenDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let path: string | undefined;
  if (dataDir) {
    path = join(dataDir, 'pgdata');
    mkdirSync(path, { recursive: true });
  }
  const client = new PGlite(path);
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

export function openDatabase(databaseUrl: string | undefined, dataDir: string): Promise<OpenDatabase> {
  return databaseUrl ? openPostgres(databaseUrl) : openPglite(dataDir);
}

/** Applies drizzle/ migrations to the embedded database (single process, no lock needed). */
export async function migratePglite(open: OpenDatabase): Promise<void> {
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await migrate(open.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
}

/**
 * Applies drizzle/ migrations to Postgres under a session advisory lock, on a one-connection
 * client so the lock and the migration share a session: concurrent replicas wait their turn.
 */
export async function migratePostgres(url: string): Promise<void> {
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function migrateDatabase(open: OpenDatabase, databaseUrl: string | undefined): Promise<void> {
  if (open.kind === 'pglite' || !databaseUrl) await migratePglite(open);
  else await migratePostgres(databaseUrl);
}
