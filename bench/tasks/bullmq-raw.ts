import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { percentile, runInFlight } from '../lib/stats.js';
import { taskMain } from '../lib/task-main.js';

export interface BullmqRawArgs {
  redisUrl: string;
  prefix: string;
  mode: 'add' | 'noop';
  inFlight: number;
  concurrency: number;
  jobs: number;
  warmupSec: number;
  durationSec: number;
}

export interface BullmqRawResult {
  rate: number;
  p50Ms?: number;
  p99Ms?: number;
  jobs: number;
}

/** A job the way ours look: ids only, a deterministic job id. */
function job() {
  const deploymentId = crypto.randomUUID();
  return { name: 'create', data: { v: 1, deploymentId, op: 'create' }, opts: { jobId: `${deploymentId}.1`, removeOnComplete: true } };
}

async function measureAdd(queue: Queue, a: BullmqRawArgs): Promise<BullmqRawResult> {
  const add = () => {
    const j = job();
    return queue.add(j.name, j.data, j.opts);
  };
  if (a.warmupSec > 0) await runInFlight(a.inFlight, a.warmupSec * 1000, add);
  const r = await runInFlight(a.inFlight, a.durationSec * 1000, add);
  return { rate: (r.count / r.elapsedMs) * 1000, p50Ms: percentile(r.latenciesMs, 50), p99Ms: percentile(r.latenciesMs, 99), jobs: r.count };
}

async function measureNoop(queue: Queue, connection: Redis, a: BullmqRawArgs): Promise<BullmqRawResult> {
  for (let done = 0; done < a.jobs; done += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, a.jobs - done) }, job));
  }
  const worker = new Worker(queue.name, async () => {}, {
    connection: connection as unknown as ConnectionOptions,
    prefix: a.prefix,
    concurrency: a.concurrency,
    autorun: false,
  });
  await worker.waitUntilReady();
  let completed = 0;
  const finished = new Promise<void>((resolve) =>
    worker.on('completed', () => {
      if (++completed === a.jobs) resolve();
    }),
  );
  const started = performance.now();
  void worker.run();
  await finished;
  const elapsedMs = performance.now() - started;
  await worker.close();
  return { rate: (a.jobs / elapsedMs) * 1000, jobs: a.jobs };
}

await taskMain<BullmqRawArgs, BullmqRawResult>(async (a) => {
  const connection = new Redis(a.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(`raw-${a.mode}`, { connection: connection as unknown as ConnectionOptions, prefix: a.prefix });
  try {
    return a.mode === 'add' ? await measureAdd(queue, a) : await measureNoop(queue, connection, a);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
});
