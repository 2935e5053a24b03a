import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './child.js';
import { BENCH_REDIS_URL, createBenchDatabase, deleteRedisPrefix, type BenchDatabase } from './services.js';
import type { Mode, Sizes } from './sizes.js';

/** Everything a scenario may use; shared pieces are started once, on first use, and torn down at the end. */
export interface BenchContext {
  mode: Mode;
  sizes: Sizes;
  database: BenchDatabase;
  redisUrl: string;
  /** BullMQ prefix for every queue of this run. */
  prefix: string;
  dataDir: string;
  /** Set with `--profile`: servers write their CPU profiles here. */
  profileDir?: string;
  /** Runs `make` the first time `key` is asked for, then returns the same promise. */
  once<T>(key: string, make: () => Promise<T>): Promise<T>;
  /** Registers teardown work; it runs in reverse order at the end. */
  onCleanup(fn: () => Promise<unknown>): void;
  log(message: string): void;
}

export interface OpenedContext extends BenchContext {
  close(): Promise<string[]>;
}

export async function openBenchContext(o: { mode: Mode; sizes: Sizes; profile: boolean; log: (m: string) => void }): Promise<OpenedContext> {
  const database = await createBenchDatabase();
  const prefix = `bench-${crypto.randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'orch-bench-'));
  let profileDir: string | undefined;
  if (o.profile) {
    profileDir = join(REPO_ROOT, 'bench/results/profiles', new Date().toISOString().replace(/[:.]/g, '-'));
    mkdirSync(profileDir, { recursive: true });
  }
  const memo = new Map<string, Promise<unknown>>();
  const cleanups: Array<() => Promise<unknown>> = [];
  return {
    mode: o.mode,
    sizes: o.sizes,
    database,
    redisUrl: BENCH_REDIS_URL,
    prefix,
    dataDir,
    profileDir,
    log: o.log,
    once<T>(key: string, make: () => Promise<T>) {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = make();
        memo.set(key, p);
        // A failed start is not cached: the next scenario that needs it gets a fresh attempt and error.
        p.catch(() => memo.delete(key));
      }
      return p;
    },
    onCleanup: (fn) => void cleanups.push(fn),
    /** Tears everything down; returns the problems met on the way (never throws). */
    async close() {
      const problems: string[] = [];
      const attempt = async (what: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (err) {
          problems.push(`${what}: ${(err as Error).message}`);
        }
      };
      for (const fn of cleanups.reverse()) await attempt('cleanup', fn);
      await attempt(`drop database ${database.name}`, database.drop);
      await attempt(`delete Redis keys ${prefix}:*`, () => deleteRedisPrefix(prefix));
      await attempt(`remove ${dataDir}`, async () => rmSync(dataDir, { recursive: true, force: true }));
      return problems;
    },
  };
}
