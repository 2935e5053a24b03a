import { SINGLE_NODE_TEMPLATE } from '../lib/deployment-fixtures.js';
import { runTask } from '../lib/task.js';
import type { Scenario } from '../lib/types.js';
import type { InsertEnqueueRawArgs, InsertEnqueueRawResult } from '../tasks/insert-enqueue-raw.js';

export const insertEnqueueRaw: Scenario = {
  name: 'insert-enqueue-raw',
  kind: 'raw',
  unit: 'rows/s',
  description:
    'postgres.js: one statement inserting a deployment row with its owner and resource, then a BullMQ Queue.add of its id-only job; 50 in flight, same pool size as the API.',
  async run(ctx) {
    const { sizes } = ctx;
    const args: InsertEnqueueRawArgs = {
      databaseUrl: ctx.database.url,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      poolMax: sizes.poolMax,
      inFlight: sizes.inFlight,
      warmupSec: sizes.warmupSec,
      durationSec: sizes.durationSec,
      templateContent: SINGLE_NODE_TEMPLATE,
    };
    const r = await runTask<InsertEnqueueRawResult>(ctx, {
      entry: 'bench/tasks/insert-enqueue-raw.ts',
      label: 'insert-enqueue-raw',
      args,
      timeoutMs: (sizes.warmupSec + sizes.durationSec) * 1000 + 60_000,
    });
    return { value: r.rps, p50_ms: r.p50Ms, p99_ms: r.p99Ms, extra: { in_flight: sizes.inFlight } };
  },
};
