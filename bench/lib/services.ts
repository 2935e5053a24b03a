import { Redis } from 'ioredis';
import postgres from 'postgres';
import { migratePostgres } from '../../src/node/database.js';

export const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function urlFor(name: string): string {
  const u = new URL(ADMIN_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated database for one run; `drop` removes it even with connections left open. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `orch_bench_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const drop = async () => {
    const a = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      await a.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await a.end();
    }
  };
  try {
    await migratePostgres(url);
  } catch (err) {
    await drop();
    throw err;
  }
  return { name, url, drop };
}

export async function databaseExists(name: string): Promise<boolean> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    return (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  } finally {
    await admin.end();
  }
}

async function scanPrefix(redis: Redis, prefix: string, each: (keys: string[]) => Promise<unknown>): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await each(keys);
  } while (cursor !== '0');
}

/** Deletes every key under a BullMQ prefix; returns how many were removed. */
export async function deleteRedisPrefix(prefix: string, url = BENCH_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    await scanPrefix(redis, prefix, async (keys) => (removed += await redis.del(...keys)));
  } finally {
    redis.disconnect();
  }
  return removed;
}

export async function countRedisPrefix(prefix: string, url = BENCH_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let n = 0;
  try {
    await scanPrefix(redis, prefix, async (keys) => (n += keys.length));
  } finally {
    redis.disconnect();
  }
  return n;
}
