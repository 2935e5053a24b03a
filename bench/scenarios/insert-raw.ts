import { realisticTemplate } from '../lib/realistic-template.js';
import { runTask } from '../lib/task.js';
import { SkipScenario, type Scenario } from '../lib/types.js';
import type { InsertRawArgs, InsertRawResult } from '../tasks/insert-raw.js';

export const insertRaw: Scenario = {
  name: 'insert-raw',
  kind: 'raw',
  unit: 'rows/s',
  description: 'postgres.js single-row INSERT … RETURNING of a realistic templates row, 50 in flight, same pool size as the API.',
  async run(ctx) {
    const content = realisticTemplate();
    if (!content) throw new SkipScenario('the TOSCA data set (../shared/tosca/templates) is missing');
    const { sizes } = ctx;
    const args: InsertRawArgs = {
      databaseUrl: ctx.database.url,
      poolMax: sizes.poolMax,
      inFlight: sizes.inFlight,
      warmupSec: sizes.warmupSec,
      durationSec: sizes.durationSec,
      content,
    };
    const r = await runTask<InsertRawResult>(ctx, {
      entry: 'bench/tasks/insert-raw.ts',
      label: 'insert-raw',
      args,
      timeoutMs: (sizes.warmupSec + sizes.durationSec) * 1000 + 60_000,
    });
    return { value: r.rps, p50_ms: r.p50Ms, p99_ms: r.p99Ms };
  },
};
