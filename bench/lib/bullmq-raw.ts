import type { BenchContext } from './context.js';
import { runTask } from './task.js';
import type { Measurement } from './types.js';
import type { BullmqRawArgs, BullmqRawResult } from '../tasks/bullmq-raw.js';

/** Runs the bare BullMQ measurement in its own process, under the run's queue prefix. */
export async function measureBullmq(ctx: BenchContext, mode: BullmqRawArgs['mode']): Promise<Measurement> {
  const { sizes } = ctx;
  const args: BullmqRawArgs = {
    redisUrl: ctx.redisUrl,
    prefix: ctx.prefix,
    mode,
    inFlight: sizes.inFlight,
    concurrency: sizes.workerConcurrency,
    jobs: sizes.queueJobs,
    warmupSec: sizes.warmupSec,
    durationSec: sizes.durationSec,
  };
  const r = await runTask<BullmqRawResult>(ctx, { entry: 'bench/tasks/bullmq-raw.ts', label: `bullmq-${mode}-raw`, args, timeoutMs: 180_000 });
  return { value: r.rate, p50_ms: r.p50Ms, p99_ms: r.p99Ms, extra: mode === 'noop' ? { jobs: r.jobs, concurrency: sizes.workerConcurrency } : { in_flight: sizes.inFlight } };
}
