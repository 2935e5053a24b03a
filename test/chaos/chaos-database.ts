import postgres from 'postgres';
import { migratePostgres } from '../../src/node/database.js';
import { databaseUrlFor, TEST_DATABASE_URL } from '../helpers/env.js';

export interface ChaosDatabase {
  name: string;
  url: string;
  /** The run's own queries (audit, progress), on a small pool. */
  sql: postgres.Sql;
  /** Terminates every backend connected to this database (and no other): each process must reconnect. */
  cutConnections(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * A freshly migrated database for one run. The `orch_test_<epoch>_` name lets the suite's global setup
 * drop it if the run was killed before its own cleanup.
 */
export async function createChaosDatabase(): Promise<ChaosDatabase> {
  const name = `orch_test_${Math.floor(Date.now() / 1000)}_chaos${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(name);
  const drop = async () => {
    const dropper = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await dropper.end();
    }
  };
  try {
    await migratePostgres(url);
  } catch (err) {
    await drop();
    throw err;
  }
  const sql = postgres(url, { max: 3, onnotice: () => {} });
  return {
    name,
    url,
    sql,
    async cutConnections() {
      // From the admin database, so the run's own pool is cut too and has to reconnect like everyone else.
      const cutter = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        const rows = await cutter`select pg_terminate_backend(pid) as cut from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
        return rows.filter((r) => r.cut).length;
      } finally {
        await cutter.end();
      }
    },
    async drop() {
      await sql.end({ timeout: 5 }).catch(() => undefined);
      await drop();
    },
  };
}
