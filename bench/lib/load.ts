import { spawnTs } from './child.js';
import { withCpuOf } from './cpu-usage.js';
import type { BenchContext } from './context.js';
import type { LoadReply, LoadResult, LoadSpec } from './load-spec.js';
import type { Measurement } from './types.js';

export type { LoadResult, LoadSpec } from './load-spec.js';

export class LoadError extends Error {
  override readonly name = 'LoadError';
}

type RunLoad = (spec: LoadSpec) => Promise<LoadResult>;

/** The load generator: one autocannon process per bench run, separate from every server. */
export function loadGenerator(ctx: BenchContext): Promise<RunLoad> {
  return ctx.once('load-generator', async () => {
    const child = spawnTs('bench/lib/load-process.ts', 'load-generator', { ipc: true });
    ctx.onCleanup(() => child.stop());
    const waiting = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    child.onMessage((m) => {
      if ((m as { ready?: boolean }).ready) return ready();
      const reply = m as LoadReply;
      const w = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) w?.reject(new LoadError(reply.error));
      else w?.resolve(reply.result);
    });
    void child.exited.then(() => {
      for (const w of waiting.values()) w.reject(new LoadError(`the load generator exited:\n${child.output().slice(-4000)}`));
      waiting.clear();
    });
    await Promise.race([started, child.exited.then(() => Promise.reject(new LoadError(`the load generator did not start:\n${child.output()}`)))]);
    let nextId = 0;
    return (spec) =>
      new Promise<LoadResult>((resolve, reject) => {
        const id = ++nextId;
        waiting.set(id, { resolve, reject });
        child.send({ id, spec });
      });
  });
}

/** Drives HTTP load; refuses results where requests failed (they would flatter the server). */
export async function runLoad(ctx: BenchContext, spec: LoadSpec): Promise<LoadResult> {
  const result = await (await loadGenerator(ctx))(spec);
  const bad = result.errors + result.non2xx;
  if (result.requests === 0 || bad > result.requests * 0.001) {
    throw new LoadError(
      `${spec.method ?? 'GET'} ${spec.url}: ${bad} of ${result.requests} requests failed (status codes ${JSON.stringify(result.statusCodes)}, errors ${result.errors})`,
    );
  }
  return result;
}

export interface ServerLoadResult extends LoadResult {
  /** Cores the server process kept busy during the run (warm-up included); 1 means one saturated core. */
  serverCores?: number;
}

/** A load run with the run's connection count, warm-up and duration, watching the server's CPU use. */
export async function loadFor(
  ctx: BenchContext,
  spec: Omit<LoadSpec, 'connections' | 'warmupSec' | 'durationSec'> & { connections?: number },
  serverPid?: number,
): Promise<ServerLoadResult> {
  const { sizes } = ctx;
  const full = { connections: sizes.connections, warmupSec: sizes.warmupSec, durationSec: sizes.durationSec, ...spec };
  const { value, cores } = await withCpuOf(serverPid, () => runLoad(ctx, full));
  return { ...value, serverCores: cores };
}

const cpuNote = (r: ServerLoadResult): Record<string, number> => (r.serverCores === undefined ? {} : { server_cpu: r.serverCores });

export function throughput(r: ServerLoadResult): Measurement {
  return { value: r.rps, p50_ms: r.p50Ms, p99_ms: r.p99Ms, extra: cpuNote(r) };
}

export function latency(r: ServerLoadResult): Measurement {
  return { value: r.meanMs, p50_ms: r.p50Ms, p99_ms: r.p99Ms, extra: { rps: Math.round(r.rps), ...cpuNote(r) } };
}
