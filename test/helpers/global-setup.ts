import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, migratePostgres } from '../../src/node/database.js';
import { databaseUrlFor, TEST_DATABASE_URL } from './env.js';

/** Name of the migrated template database, derived from the migrations so a change rebuilds it. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(f).update(readFileSync(join(MIGRATIONS_FOLDER, f)));
  }
  return `orch_tmpl_${hash.digest('hex').slice(0, 12)}`;
}

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const name = templateName();
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(7241)`;
    const exists = await admin`select 1 from pg_database where datname = ${name}`;
    if (exists.length === 0) {
      await admin.unsafe(`create database ${name}`);
      try {
        await migratePostgres(databaseUrlFor(name));
      } catch (err) {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        throw err;
      }
    }
    // Databases of test files that were killed before their cleanup ran (over an hour old).
    const stale = await admin`select datname from pg_database where datname ~ '^orch_test_[0-9]+_'`;
    const hourAgo = Date.now() / 1000 - 3600;
    for (const row of stale) {
      if (Number(String(row.datname).split('_')[2]) < hourAgo) await admin.unsafe(`drop database if exists ${row.datname} with (force)`);
    }
    await admin`select pg_advisory_unlock(7241)`;
  } finally {
    await admin.end();
  }
  provide('templateDatabase', name);
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
