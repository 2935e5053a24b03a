import { inArray, lt } from 'drizzle-orm';
import type { Database } from '../../src/db/database.js';
import { deploymentLogs } from '../../src/db/schema.js';
import type { Processor } from '../../src/queue/processor.js';

export interface MaintenanceDeps {
  db: Database;
  logRetentionDays: number;
  now?: () => Date;
}

const CLEANUP_BATCH = 10_000;

/** Deletes deployment logs older than the retention period, in short batches so no transaction grows huge. */
export async function cleanupLogs(deps: MaintenanceDeps, batch = CLEANUP_BATCH): Promise<number> {
  const cutoff = new Date((deps.now?.() ?? new Date()).getTime() - deps.logRetentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const old = deps.db.select({ id: deploymentLogs.id }).from(deploymentLogs).where(lt(deploymentLogs.ts, cutoff)).limit(batch);
    const removed = await deps.db.delete(deploymentLogs).where(inArray(deploymentLogs.id, old)).returning({ id: deploymentLogs.id });
    total += removed.length;
    if (removed.length < batch) return total;
  }
}

export function maintenanceProcessor(deps: MaintenanceDeps): Processor {
  return async (job) => {
    switch (job.name) {
      case 'log-cleanup':
        return { removed: await cleanupLogs(deps) };
      case 'timeout-sweep':
      case 'reconcile':
        // Deployment processing arrives with the deployment engine; until then nothing can time out or go missing.
        return { skipped: true };
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}
