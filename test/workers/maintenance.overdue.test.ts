import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overdueDeployments } from '../../src/db/maintenance-repo.js';
import { deploymentAttempts, deployments } from '../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('the timeout sweep query', () => {
  it('finds running deployments past their total deadline or whose open attempt outlived the per-provider timeout, and nothing else', async () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    const ids = {
      pastDeadline: crypto.randomUUID(),
      attemptTooLong: crypto.randomUUID(),
      attemptFinished: crypto.randomUUID(),
      inTime: crypto.randomUUID(),
      completeButLate: crypto.randomUUID(),
    };
    const future = new Date(now.getTime() + 3_600_000);
    await database.db.insert(deployments).values([
      { id: ids.pastDeadline, status: 2, deadlineAt: minutesAgo(1), perProviderTimeoutMins: 60 },
      { id: ids.attemptTooLong, status: 2, deadlineAt: future, perProviderTimeoutMins: 30 },
      { id: ids.attemptFinished, status: 2, deadlineAt: future, perProviderTimeoutMins: 30 },
      { id: ids.inTime, status: 2, deadlineAt: future, perProviderTimeoutMins: 30 },
      { id: ids.completeButLate, status: 0, deadlineAt: minutesAgo(100), perProviderTimeoutMins: 30 },
    ]);
    await database.db.insert(deploymentAttempts).values([
      { deploymentId: ids.attemptTooLong, seq: 1, provider: 'p', startedAt: minutesAgo(31) },
      { deploymentId: ids.attemptFinished, seq: 1, provider: 'p', startedAt: minutesAgo(90), finishedAt: minutesAgo(80) },
      { deploymentId: ids.inTime, seq: 1, provider: 'p', startedAt: minutesAgo(29) },
    ]);
    const found = await overdueDeployments(database.db, now, 100);
    expect(new Set(found.map((d) => d.id))).toEqual(new Set([ids.pastDeadline, ids.attemptTooLong]));
  });
});
