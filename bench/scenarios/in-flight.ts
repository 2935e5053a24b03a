import { Redis } from 'ioredis';
import { DEPLOYMENT_STATUS } from '../../src/domain/deployment-status.js';
import { engineStack, readProbe, type EngineStack } from '../lib/engine-stack.js';
import type { BenchContext } from '../lib/context.js';
import { round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

async function pgStatements(stack: EngineStack): Promise<number> {
  // Every statement of the engine runs in its own (implicit or explicit) transaction.
  const [row] = await stack.sql<Array<{ n: string }>>`select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = ${stack.databaseName}`;
  return Number(row.n);
}

async function untilAllCreated(stack: EngineStack, ids: string[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await stack.sql<Array<{ n: number }>>`select count(*)::int as n from deployments where id = any(${ids}::uuid[]) and im_infra_id is not null`;
    if (row.n === ids.length) return;
    if (Date.now() > until) throw new Error(`only ${row.n} of ${ids.length} deployments reached the IM within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Moves each held infrastructure's own clock past its contextualization (the global clock stays, for later scenarios). */
async function releaseAll(stack: EngineStack, ids: string[]): Promise<void> {
  const rows = await stack.sql<Array<{ inf: string }>>`select im_infra_id as inf from deployments where id = any(${ids}::uuid[])`;
  let next = 0;
  const lane = async () => {
    while (next < rows.length) await stack.simControl(`/infrastructures/${rows[next++].inf}/advance`, { ms: 2e11 });
  };
  await Promise.all(Array.from({ length: 16 }, lane));
}

/** Samples the worker's probe every second for the window: the worst second's p99 and the largest RSS. */
async function watch(probeFile: string, seconds: number): Promise<{ loopP99Ms: number; rssMb: number }> {
  let loopP99Ms = 0;
  let rssMb = 0;
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    const s = readProbe(probeFile);
    if (s) {
      loopP99Ms = Math.max(loopP99Ms, s.p99Ms);
      rssMb = Math.max(rssMb, s.rssMb);
    }
  }
  return { loopP99Ms, rssMb };
}

async function run(ctx: BenchContext) {
  const { sizes } = ctx;
  const stack = await engineStack(ctx);
  const redis = new Redis(ctx.redisUrl);
  // The production polling pace (2 s doubling to 30 s): the cost of waiting is what is measured.
  const worker = await stack.startWorkers(1, {}, { probe: true });
  try {
    await sleep(2000);
    const idleRssMb = readProbe(worker.probeFiles[0])?.rssMb ?? Number.NaN;
    const ids = await stack.submit('held', sizes.inFlightDeployments);
    await untilAllCreated(stack, ids, 60_000 + ids.length * 50);
    await sleep(sizes.inFlightSettleSec * 1000);
    const [redis0, pg0] = [await redisCommands(redis), await pgStatements(stack)];
    const started = performance.now();
    const held = await watch(worker.probeFiles[0], sizes.inFlightWindowSec);
    const minutes = (performance.now() - started) / 60_000;
    const [redis1, pg1] = [await redisCommands(redis), await pgStatements(stack)];
    const perDeploymentMinute = (delta: number) => delta / minutes / ids.length;

    const released = performance.now();
    await releaseAll(stack, ids);
    await stack.waitForStatus(ids, DEPLOYMENT_STATUS.CREATE_COMPLETE, 120_000 + ids.length * 20);
    const releaseS = (performance.now() - released) / 1000;
    return {
      value: held.rssMb,
      baseline: idleRssMb,
      extra: {
        deployments: ids.length,
        idle_rss_mb: idleRssMb,
        loop_p99_ms: held.loopP99Ms,
        redis_cmds_per_dep_min: round(perDeploymentMinute(redis1 - redis0)),
        pg_statements_per_dep_min: round(perDeploymentMinute(pg1 - pg0)),
        release_to_complete_s: round(releaseS),
      },
    };
  } finally {
    await worker.stop();
    redis.disconnect();
  }
}

export const inFlight: Scenario = {
  name: 'in-flight',
  kind: 'product',
  unit: 'MB',
  baselineLabel: 'the same worker idle',
  target: { on: 'value', op: '<=', limit: 500 },
  description:
    'Deployments held running by the simulator while one worker process polls them at the production pace: its RSS (against itself idle), event-loop p99, Redis commands and Postgres statements per deployment per minute, then the time for all to complete once released.',
  prepare: (ctx) => engineStack(ctx),
  run,
};
