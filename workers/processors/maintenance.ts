import { lt } from 'drizzle-orm';
import type { Database } from '../../src/db/database.js';
import { deploymentLogs } from '../../src/db/schema.js';
import type { Processor } from '../../src/queue/processor.js';

export interface MaintenanceDeps {
  db: Database;
  logRetentionDays: number;
  now?: () => Date;
}

/** Deletes deployment logs older than the retention period. */
export async function cleanupLogs(deps: MaintenanceDeps): Promise<number> {
  const cutoff = new Date((deps.now?.() ?? new Date()).getTime() - deps.logRetentionDays * 86_400_000);
  const removed = await deps.db.delete(deploymentLogs).where(lt(deploymentLogs.ts, cutoff)).returning({ id: deploymentLogs.id });
  return removed.length;
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
