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

  it('removes every log of a deployment deleted longer ago than the deleted-log retention, and only those', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const deletedLongAgo = crypto.randomUUID();
    const deletedYesterday = crypto.randomUUID();
    const running = crypto.randomUUID();
    await database.db.insert(deployments).values([
      { id: deletedLongAgo, status: 3, updatedAt: daysAgo(10) },
      { id: deletedYesterday, status: 3, updatedAt: daysAgo(1) },
      { id: running, status: 1, updatedAt: daysAgo(10) },
    ]);
    const lines = (deploymentId: string) => Array.from({ length: 4 }, (_, i) => ({ deploymentId, ts: daysAgo(2), source: 'orchestrator', line: `${deploymentId} ${i}` }));
    await database.db.insert(deploymentLogs).values([...lines(deletedLongAgo), ...lines(deletedYesterday), ...lines(running)]);
    expect(await cleanupLogs({ db: database.db, logRetentionDays: 30, deletedLogRetentionDays: 7, now: () => now }, 3)).toBe(4);
    const left = await database.db.select({ id: deploymentLogs.deploymentId }).from(deploymentLogs).where(sql`${deploymentLogs.deploymentId} in (${deletedLongAgo}, ${deletedYesterday}, ${running})`);
    expect(new Set(left.map((r) => r.id))).toEqual(new Set([deletedYesterday, running]));
    expect(left).toHaveLength(8);
    await database.db.delete(deploymentLogs).where(sql`${deploymentLogs.deploymentId} in (${deletedYesterday}, ${running})`);
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
