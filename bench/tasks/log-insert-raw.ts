import postgres from 'postgres';
import { taskMain } from '../lib/task-main.js';

export interface LogInsertRawArgs {
  databaseUrl: string;
  deploymentIds: string[];
  lines: number;
  batch: number;
  inFlight: number;
}

export interface LogInsertRawResult {
  linesPerSec: number;
}

/** Batched multi-row INSERTs of log lines, `inFlight` at a time: what storing lines costs at least. */
await taskMain<LogInsertRawArgs, LogInsertRawResult>(async (a) => {
  const sql = postgres(a.databaseUrl, { max: a.inFlight, onnotice: () => {} });
  const batches = Math.ceil(a.lines / a.batch);
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < batches) {
      const b = next++;
      const deploymentId = a.deploymentIds[b % a.deploymentIds.length];
      const ts = new Date();
      const rows = Array.from({ length: a.batch }, (_, i) => ({ deployment_id: deploymentId, ts, source: 'orchestrator', line: `raw line ${b}/${i}: attempt 1 polling the IM state` }));
      await sql`insert into deployment_logs ${sql(rows, 'deployment_id', 'ts', 'source', 'line')}`;
    }
  };
  await Promise.all(Array.from({ length: a.inFlight }, lane));
  const seconds = (performance.now() - started) / 1000;
  await sql.end();
  return { linesPerSec: (batches * a.batch) / seconds };
});
