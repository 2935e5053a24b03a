import type { Database } from '../../src/db/database.js';
import { deleteLogsOfEndedBefore, deleteLogsOlderThan } from '../../src/db/logs-repo.js';
import { DEPLOYMENT_STATUS } from '../../src/domain/deployment-status.js';
import type { Processor } from '../../src/queue/processor.js';

export interface MaintenanceDeps {
  db: Database;
  logRetentionDays: number;
  /** Default 7. */
  deletedLogRetentionDays?: number;
  now?: () => Date;
}

const CLEANUP_BATCH = 10_000;

async function inBatches(deleteBatch: () => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await deleteBatch();
    total += removed;
    if (removed < batch) return total;
  }
}

/**
 * Deletes deployment logs older than the retention period, and every log of a deployment deleted
 * longer ago than its own retention; in short batches so no transaction grows huge.
 */
export async function cleanupLogs(deps: MaintenanceDeps, batch = CLEANUP_BATCH): Promise<number> {
  const now = (deps.now?.() ?? new Date()).getTime();
  const cutoff = new Date(now - deps.logRetentionDays * 86_400_000);
  const deletedCutoff = new Date(now - (deps.deletedLogRetentionDays ?? 7) * 86_400_000);
  const old = await inBatches(() => deleteLogsOlderThan(deps.db, cutoff, batch), batch);
  const ofDeleted = await inBatches(() => deleteLogsOfEndedBefore(deps.db, DEPLOYMENT_STATUS.DELETE_COMPLETE, deletedCutoff, batch), batch);
  return old + ofDeleted;
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
