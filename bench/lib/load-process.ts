import autocannon, { type Options, type Result } from 'autocannon';
import type { LoadReply, LoadRequest, LoadResult, LoadSpec } from './load-spec.js';
import { percentile, sum } from './stats.js';

function options(spec: LoadSpec, durationSec: number): Options {
  return {
    url: spec.url,
    connections: spec.connections,
    duration: durationSec,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    idReplacement: spec.idReplacement,
    requests: spec.paths?.map((path) => ({ path })),
    timeout: 30,
    // The stop flag is only read at sample ticks (default 1 s), so short runs would overshoot.
    sampleInt: 100,
  };
}

/** Runs autocannon, keeping every 2xx latency at full resolution (its histogram rounds to 1 ms). */
function fire(opts: Options): Promise<{ result: Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve({ result, latencies })));
    instance.on('response', (_client: unknown, status: number | string, _bytes: number, ms: number) => {
      if (Number(status) >= 200 && Number(status) < 300) latencies.push(ms);
    });
  });
}

async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSec > 0) await fire(options(spec, spec.warmupSec));
  const { result, latencies } = await fire(options(spec, spec.durationSec));
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    rps: latencies.length / (result.duration || spec.durationSec),
    requests: result.requests.total,
    meanMs: latencies.length ? sum(latencies) / latencies.length : Number.NaN,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

// One load generator per bench run, serving runs one at a time over the IPC channel.
process.on('message', (raw) => {
  const { id, spec } = raw as LoadRequest;
  const reply = (r: LoadReply) => process.send?.(r);
  measure(spec).then(
    (result) => reply({ id, result }),
    (err: unknown) => reply({ id, error: (err as Error).stack ?? String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
