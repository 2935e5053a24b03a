import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { engineStack, type EngineStack } from '../lib/engine-stack.js';
import { runTask } from '../lib/task.js';
import type { Scenario } from '../lib/types.js';
import { QUEUES } from '../../src/queue/names.js';
import type { LogInsertRawArgs, LogInsertRawResult } from '../tasks/log-insert-raw.js';

/** Lines per append job (and per raw INSERT): what a busy worker's publisher gathers in one flush. */
const BATCH = 100;
const DEPLOYMENTS = 20;

/** Plain rows to hang log lines on (the engine never runs them). */
async function logOwners(stack: EngineStack, tag: string): Promise<string[]> {
  const ids = Array.from({ length: DEPLOYMENTS }, () => crypto.randomUUID());
  await stack.sql`insert into deployments ${stack.sql(ids.map((id) => ({ id, status: 0, user_group: tag })), 'id', 'status', 'user_group')}`;
  return ids;
}

async function storedLines(stack: EngineStack, ids: string[]): Promise<number> {
  const [row] = await stack.sql<Array<{ n: number }>>`select coalesce(sum(log_lines), 0)::int as n from deployments where id = any(${ids}::uuid[])`;
  return row.n;
}

export const logInsertRaw: Scenario = {
  name: 'log-insert-raw',
  kind: 'raw',
  unit: 'lines/s',
  description: `Bare postgres.js multi-row INSERTs of ${BATCH} log lines each into deployment_logs, as many in flight as the worker concurrency.`,
  prepare: (ctx) => engineStack(ctx),
  async run(ctx) {
    const stack = await engineStack(ctx);
    const args: LogInsertRawArgs = {
      databaseUrl: stack.databaseUrl,
      deploymentIds: await logOwners(stack, 'log-raw'),
      lines: ctx.sizes.logLines,
      batch: BATCH,
      inFlight: ctx.sizes.workerConcurrency,
    };
    const r = await runTask<LogInsertRawResult>(ctx, { entry: 'bench/tasks/log-insert-raw.ts', label: 'log-insert-raw', args, timeoutMs: 300_000 });
    return { value: r.linesPerSec, extra: { batch: BATCH, in_flight: ctx.sizes.workerConcurrency } };
  },
};

export const logIngest: Scenario = {
  name: 'log-ingest',
  kind: 'product',
  unit: 'lines/s',
  vs: 'log-insert-raw',
  target: { on: 'ratio', op: '>=', limit: 0.5 },
  description: `Orchestrator log lines through the log-ingest queue (append jobs of ${BATCH} lines) into deployment_logs by one worker process: redaction, the per-deployment cap and the insert.`,
  prepare: (ctx) => engineStack(ctx),
  async run(ctx) {
    const stack = await engineStack(ctx);
    const ids = await logOwners(stack, 'log-ingest');
    const total = Math.ceil(ctx.sizes.logLines / BATCH) * BATCH;
    const worker = await stack.startWorkers(1, { LOG_MAX_LINES_PER_DEPLOYMENT: String(total) });
    const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.logIngest, { connection: connection as unknown as ConnectionOptions, prefix: stack.prefix });
    try {
      const started = performance.now();
      const jobs = Array.from({ length: total / BATCH }, (_, b) => {
        const ts = new Date().toISOString();
        const lines = Array.from({ length: BATCH }, (_, i) => ({ ts, line: `line ${b}/${i}: attempt 1 polling the IM state (password=hunter2)` }));
        return { name: 'append', data: { v: 1, deploymentId: ids[b % ids.length], lines }, opts: { removeOnComplete: true } };
      });
      for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
      const until = Date.now() + 300_000;
      while ((await storedLines(stack, ids)) < total) {
        if (Date.now() > until) throw new Error(`only ${await storedLines(stack, ids)} of ${total} lines stored in 300 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return { value: total / ((performance.now() - started) / 1000), extra: { lines: total, batch: BATCH, concurrency: ctx.sizes.workerConcurrency } };
    } finally {
      await queue.close();
      connection.disconnect();
      await worker.stop();
    }
  },
};
