// Preloaded into a measured process (`--import`): every second it writes the event-loop delay
// percentiles of that second and its RSS to the file named by BENCH_LOOP_FILE.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const timer = setInterval(() => {
    const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
    const sample = { at: Date.now(), p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), rssMb: Math.round(process.memoryUsage().rss / 1048576) };
    try {
      writeFileSync(file, JSON.stringify(sample));
    } catch {
      // The harness may have removed its directory already.
    }
    h.reset();
  }, 1000);
  timer.unref();
}
