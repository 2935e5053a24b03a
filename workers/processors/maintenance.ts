import type { Database } from '../../src/db/database.js';
import { deleteLogsOlderThan } from '../../src/db/logs-repo.js';
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
    const removed = await deleteLogsOlderThan(deps.db, cutoff, batch);
    total += removed;
    if (removed < batch) return total;
  }
}

/** The jobs the schedulers run besides log cleanup. */
export interface MaintenanceJobs {
  reconcile(): Promise<unknown>;
  sweepTimeouts(): Promise<unknown>;
}

export function maintenanceProcessor(deps: MaintenanceDeps, jobs: MaintenanceJobs): Processor {
  return async (job) => {
    switch (job.name) {
      case 'log-cleanup':
        return { removed: await cleanupLogs(deps) };
      case 'timeout-sweep':
        return jobs.sweepTimeouts();
      case 'reconcile':
        return jobs.reconcile();
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}
