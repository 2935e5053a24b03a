import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImSimulatorApp, createSimStore } from '../../src/im/simulator/index.js';
import { freePort } from '../../src/node/free-port.js';
import { closeQueues, createQueues, type QueueCatalogue } from '../../src/node/queues.js';
import { createProducerConnection, waitForReady } from '../../src/node/redis.js';
import { deploymentJobId } from '../../src/queue/job-ids.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { deleteRedisPrefix } from '../helpers/redis-cleanup.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';
import { sharedToscaEngine } from '../helpers/tosca.js';
import { singleNodeTemplate } from '../im/templates.js';
import { poll, spawnEntry, waitForOutput, waitHealthy, type Spawned } from './processes.helpers.js';

const DEPLOYMENTS = 100;
const prefix = `test-scale-${crypto.randomUUID().slice(0, 8)}`;
let database: TestDatabase;
let issuer: TestIssuer;
let sim: { url: string; server: ServerType };
let queues: QueueCatalogue;
const redis = createProducerConnection(TEST_REDIS_URL);
const apis: Array<{ process: Spawned; url: string }> = [];
const workers: Spawned[] = [];

beforeAll(async () => {
  redis.on('error', () => {});
  database = await createTestDatabase();
  issuer = await startTestIssuer();
  // The IM simulator in this process, over HTTP, keeping every request it gets for the count at the end.
  const app = createImSimulatorApp({
    tosca: await sharedToscaEngine(),
    mode: 'test',
    timings: { preparingMs: 20, pendingMs: 40, configureMs: 80, deleteMs: 30, refreshMs: 0 },
    store: createSimStore(100_000),
  });
  sim = await new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ url: `http://127.0.0.1:${info.port}`, server }));
  });
  await waitForReady(redis);
  queues = createQueues(redis, prefix);

  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    IM_URL: sim.url,
    SECRET_KEY: TEST_SECRET_KEY,
    OIDC_ISSUERS: issuer.issuer,
    IM_POLL_BASE_MS: '20',
    IM_POLL_MAX_MS: '100',
    LOG_LEVEL: 'info',
  };
  for (let i = 0; i < 3; i++) workers.push(spawnEntry('workers/main.ts', { ...shared, WORKER_CONCURRENCY: '8' }));
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    apis.push({ process: spawnEntry('src/node/main-api.ts', { ...shared, PORT: String(port), HOST: '127.0.0.1' }), url: `http://127.0.0.1:${port}` });
  }
  await Promise.all([...apis.map((a) => waitHealthy(a.process, a.url)), ...workers.map((w) => waitForOutput(w, /"msg":"worker started"/, 60_000))]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([...apis.map((a) => a.process.stop('SIGTERM')), ...workers.map((w) => w.stop('SIGTERM'))]);
  if (queues) await closeQueues(queues);
  redis.disconnect();
  await new Promise((r) => (sim ? sim.server.close(r) : r(undefined)));
  await issuer?.close();
  await database?.drop();
  await deleteRedisPrefix(prefix);
});

async function call(base: string, method: string, path: string, token: string, json?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('two API processes and three worker processes on one database, Redis prefix and IM', () => {
  it(`take ${DEPLOYMENTS} deployments submitted to both APIs to CREATE_COMPLETE, each with one IM create, spread over the workers`, async () => {
    const token = await issuer.mint('alice', { claims: { groups: ['users'] } });
    expect((await call(apis[0].url, 'POST', '/api/v1/users', token)).status).toBe(201);
    const template = await call(apis[1].url, 'POST', '/api/v1/templates', token, { content: singleNodeTemplate(), name: 'scaling' });
    expect(template.status).toBe(201);

    const ids: string[] = [];
    for (let batch = 0; batch < DEPLOYMENTS; batch += 10) {
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(apis[(batch + i) % 2].url, 'POST', '/api/v1/deployments', token, { template_id: template.body.id })),
      );
      for (const c of created) {
        expect(c.status, JSON.stringify(c.body)).toBe(202);
        ids.push(c.body.id);
      }
    }
    expect(new Set(ids).size).toBe(DEPLOYMENTS);

    // Both APIs read the same state: wait on one, check the other agrees.
    const complete = await poll('every deployment to complete', async () => {
      const page = await call(apis[0].url, 'GET', `/api/v1/deployments?size=${DEPLOYMENTS}`, token);
      const rows = page.body.data as Array<{ id: string; status_name: string }>;
      const stuck = rows.filter((d) => d.status_name !== 'CREATE_COMPLETE');
      if (stuck.some((d) => d.status_name !== 'CREATE_IN_PROGRESS')) throw new Error(`not completed: ${JSON.stringify(stuck.slice(0, 3))}`);
      return rows.length === DEPLOYMENTS && stuck.length === 0 ? rows : undefined;
    }, 100_000, 250);
    expect(complete.map((d) => d.id).sort()).toEqual([...ids].sort());

    const infraIds = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const d = await call(apis[i % 2].url, 'GET', `/api/v1/deployments/${id}`, token);
      expect(d.body.status_name).toBe('CREATE_COMPLETE');
      expect(d.body.attempts, id).toHaveLength(1);
      infraIds.add(d.body.im_infra_id);
    }
    expect(infraIds.size).toBe(DEPLOYMENTS);

    // The IM saw exactly one create per deployment, and every infrastructure belongs to one of them.
    const recorded = (await (await fetch(`${sim.url}/__sim/requests?path=^/infrastructures$`)).json()) as { requests: Array<{ method: string }> };
    expect(recorded.requests.filter((r) => r.method === 'POST')).toHaveLength(DEPLOYMENTS);
    const live = (await (await fetch(`${sim.url}/__sim/infrastructures`)).json()) as { infrastructures: Array<{ id: string }> };
    expect(live.infrastructures.map((x) => x.id).sort()).toEqual([...infraIds].sort());

    // Spread: BullMQ records the worker (host:pid, logged by each process at start) that ran each job's last step.
    const names = workers.map((w) => /"worker":"([^"]+)".*"msg":"worker started"/.exec(w.output())![1]);
    expect(new Set(names).size).toBe(3);
    const byWorker = new Map<string, number>();
    for (const id of ids) {
      const job = await queues.deployments.getJob(deploymentJobId(id, 1));
      expect(job, id).toBeDefined();
      expect(await job!.getState()).toBe('completed');
      byWorker.set(job!.processedBy!, (byWorker.get(job!.processedBy!) ?? 0) + 1);
    }
    expect([...byWorker.keys()].sort()).toEqual([...names].sort());
    console.info(`last steps per worker: ${JSON.stringify(Object.fromEntries(byWorker))}`);
  }, 120_000);
});
