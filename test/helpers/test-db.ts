import postgres from 'postgres';
import { inject } from 'vitest';
import { openPostgres, type OpenDatabase } from '../../src/node/database.js';
import { databaseUrlFor, TEST_DATABASE_URL } from './env.js';

export interface TestDatabase extends OpenDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  // The creation time in the name lets a later run tell a killed run's leftovers from a live run's databases.
  const name = `orch_test_${Math.floor(Date.now() / 1000)}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database ${name} template ${inject('templateDatabase')}`);
        break;
      } catch (err) {
        // Two files cloning the same template at the same instant: Postgres refuses one; try again.
        if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(name);
  const open = await openPostgres(url, { max: 5 });
  return {
    ...open,
    url,
    name,
    async drop() {
      await open.close();
      const dropper = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
