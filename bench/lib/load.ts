import type { LoadResult, LoadSpec } from './load-spec.js';
import { runTask } from './task.js';
import type { Measurement } from './types.js';

export type { LoadResult, LoadSpec } from './load-spec.js';

export class LoadError extends Error {
  override readonly name = 'LoadError';
}

const LOAD_ENTRY = 'bench/lib/load-process.ts';

/** Drives HTTP load from a separate process; refuses results where requests failed (they would flatter the server). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await runTask<LoadResult>(LOAD_ENTRY, spec, (spec.warmupSec + spec.durationSec) * 1000 + 60_000);
  const bad = result.errors + result.non2xx;
  if (result.requests === 0 || bad > result.requests * 0.001) {
    throw new LoadError(
      `${spec.method ?? 'GET'} ${spec.url}: ${bad} of ${result.requests} requests failed (status codes ${JSON.stringify(result.statusCodes)}, errors ${result.errors})`,
    );
  }
  return result;
}

export function throughput(r: LoadResult): Measurement {
  return { value: r.rps, p50_ms: r.p50Ms, p99_ms: r.p99Ms };
}

export function latency(r: LoadResult): Measurement {
  return { value: r.meanMs, p50_ms: r.p50Ms, p99_ms: r.p99Ms, extra: { rps: Math.round(r.rps) } };
}
