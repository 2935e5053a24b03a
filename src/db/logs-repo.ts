import { inArray, lt } from 'drizzle-orm';
import type { Database } from './database.js';
import { deploymentLogs } from './schema.js';

/** Deletes at most `batch` log lines older than `cutoff`; returns how many went. */
export async function deleteLogsOlderThan(db: Database, cutoff: Date, batch: number): Promise<number> {
  const old = db.select({ id: deploymentLogs.id }).from(deploymentLogs).where(lt(deploymentLogs.ts, cutoff)).limit(batch);
  const removed = await db.delete(deploymentLogs).where(inArray(deploymentLogs.id, old)).returning({ id: deploymentLogs.id });
  return removed.length;
}
