import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentLogs, deployments } from '../../src/db/schema.js';
import { ingestLines } from '../../src/services/logs/ingest-lines.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const batch = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ ts: new Date(Date.now() + i).toISOString(), line: `${tag} ${i}` }));

async function stored(id: string) {
  return database.db.select({ line: deploymentLogs.line }).from(deploymentLogs).where(eq(deploymentLogs.deploymentId, id));
}

describe('ingesting orchestrator log lines', () => {
  it('holds the cap and writes one marker however many batches race', async () => {
    const id = crypto.randomUUID();
    await database.db.insert(deployments).values({ id, status: 1 });
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, b) => ingestLines(database.db, id, batch(`b${b}`, 7), 50)));
    const lines = await stored(id);
    expect(lines).toHaveLength(51);
    expect(lines.filter((l) => l.line.startsWith('[log truncated'))).toHaveLength(1);
    expect(outcomes.filter((o) => 'truncated' in o && o.truncated)).toHaveLength(1);
    const [row] = await database.db.select({ n: deployments.logLines }).from(deployments).where(eq(deployments.id, id));
    expect(row.n).toBe(51);
  });

  it("masks the deployment's secret input values and secret-looking text before storing", async () => {
    const id = crypto.randomUUID();
    await database.db.insert(deployments).values({ id, status: 1, templateInputs: { admin_password: 'S3cret-Value-42', cpus: 2 }, secretInputs: ['admin_password'] });
    await ingestLines(database.db, id, [{ ts: new Date().toISOString(), line: 'configured with S3cret-Value-42 and token=abcdefgh' }], 100);
    expect((await stored(id)).map((l) => l.line)).toEqual(['configured with ***** and token=*****']);
  });

  it('drops the lines of a deployment that is gone', async () => {
    expect(await ingestLines(database.db, crypto.randomUUID(), batch('x', 3), 100)).toEqual({ gone: true });
  });
});
