import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentLogs, deployments } from '../../src/db/schema.js';
import { cleanupLogs, maintenanceProcessor } from '../../workers/processors/maintenance.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('log-cleanup', () => {
  it('removes only logs older than the retention period, in batches', async () => {
    const deploymentId = crypto.randomUUID();
    await database.db.insert(deployments).values({ id: deploymentId, status: 0 });
    const now = new Date('2026-06-01T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await database.db.insert(deploymentLogs).values([
      ...Array.from({ length: 7 }, (_, i) => ({ deploymentId, ts: daysAgo(40 + i), source: 'im', line: `old ${i}` })),
      { deploymentId, ts: daysAgo(29), source: 'orchestrator', line: 'recent' },
      { deploymentId, ts: daysAgo(1), source: 'im', line: 'fresh' },
    ]);
    expect(await cleanupLogs({ db: database.db, logRetentionDays: 30, now: () => now }, 3)).toBe(7);
    const left = await database.db.select({ line: deploymentLogs.line }).from(deploymentLogs).orderBy(deploymentLogs.ts);
    expect(left.map((r) => r.line)).toEqual(['recent', 'fresh']);
  });

  it('runs as the maintenance job of that name', async () => {
    const unused = async () => {
      throw new Error('not this job');
    };
    const processor = maintenanceProcessor(
      { db: database.db, logRetentionDays: 30, now: () => new Date('2026-06-01T00:00:00Z') },
      { reconcile: unused, sweepTimeouts: unused },
    );
    expect(await processor({ id: 'log-cleanup', name: 'log-cleanup', data: { v: 1 }, attemptsMade: 0 })).toEqual({ removed: 0 });
    await expect(processor({ id: 'x', name: 'nope', data: { v: 1 }, attemptsMade: 0 })).rejects.toThrow(/unknown maintenance job/);
    const [{ n }] = (await database.db.execute(sql`select count(*)::int as n from deployment_logs`)) as unknown as Array<{ n: number }>;
    expect(n).toBe(2);
  });
});
