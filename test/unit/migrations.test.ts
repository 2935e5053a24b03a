import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { migratePglite, migratePostgres, openPglite, openPostgres } from '../../src/node/database.js';
import { databaseUrlFor, TEST_DATABASE_URL } from '../helpers/env.js';

/** Every migration file in drizzle/, each applied once. */
const MIGRATIONS = readdirSync(new URL('../../drizzle', import.meta.url)).filter((f) => f.endsWith('.sql')).length;
const TABLES = ['deployment_attempts', 'deployment_logs', 'deployment_owners', 'deployments', 'idempotency_keys', 'resources', 'templates', 'users'];

async function tablesOf(db: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> }): Promise<string[]> {
  const res = (await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`)) as
    | Array<{ table_name: string }>
    | { rows: Array<{ table_name: string }> };
  const rows = Array.isArray(res) ? res : res.rows;
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('apply on real Postgres, concurrently from several replicas, exactly once', async () => {
    const name = `orch_test_mig_${crypto.randomUUID().slice(0, 8)}`;
    const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    try {
      const url = databaseUrlFor(name);
      await Promise.all([migratePostgres(url), migratePostgres(url), migratePostgres(url)]);
      const open = await openPostgres(url, { max: 1 });
      try {
        expect(await tablesOf(open.db)).toEqual(TABLES);
        const applied = await open.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        expect((applied as unknown as Array<{ n: number }>)[0].n).toBe(MIGRATIONS);
      } finally {
        await open.close();
      }
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it('apply on embedded PGlite and the same repositories work there', async () => {
    const open = await openPglite(undefined);
    try {
      await migratePglite(open);
      await migratePglite(open);
      expect(await tablesOf(open.db)).toEqual(TABLES);
      const { insertUserIfAbsent, findUserById } = await import('../../src/db/users-repo.js');
      const { id, created } = await insertUserIfAbsent(open.db, { issuer: 'https://iam.example.org', sub: 'pg-lite' });
      expect(created).toBe(true);
      expect((await findUserById(open.db, id))?.sub).toBe('pg-lite');
      expect((await insertUserIfAbsent(open.db, { issuer: 'https://iam.example.org', sub: 'pg-lite' })).created).toBe(false);
    } finally {
      await open.close();
    }
  });
});
