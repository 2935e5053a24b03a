import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncResources } from '../../src/db/deployments-repo.js';
import { deployments, resources } from '../../src/db/schema.js';
import { RESOURCE_STATUS as R } from '../../src/domain/resource-status.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('refreshing resources from the IM', () => {
  it('leaves the status of a resource whose VM action runs to that action, and refreshes the rest', async () => {
    const deploymentId = crypto.randomUUID();
    await database.db.insert(deployments).values({ id: deploymentId, status: 4 });
    const [busy, idle] = await database.db
      .insert(resources)
      .values([
        { deploymentId, toscaNodeName: 'a', toscaNodeType: 'tosca.nodes.indigo.Compute', status: R.STOPPING, action: 'stop', actionSeq: 1 },
        { deploymentId, toscaNodeName: 'b', toscaNodeType: 'tosca.nodes.indigo.Compute', status: R.STOPPED },
      ])
      .returning();
    await syncResources(database.db, deploymentId, [
      { id: busy.id, toscaNodeName: 'a', toscaNodeType: busy.toscaNodeType, status: R.CONFIGURED, metadata: { state: 'configured' } },
      { id: idle.id, toscaNodeName: 'b', toscaNodeType: idle.toscaNodeType, status: R.CONFIGURED, metadata: { state: 'configured' } },
    ]);
    const rows = await database.db.select().from(resources).where(eq(resources.deploymentId, deploymentId)).orderBy(resources.toscaNodeName);
    expect(rows.map((r) => [r.toscaNodeName, r.status, r.metadata])).toEqual([
      ['a', R.STOPPING, { state: 'configured' }],
      ['b', R.CONFIGURED, { state: 'configured' }],
    ]);
  });
});
