import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { deploymentLogs } from '../../src/db/schema.js';
import { startImSimulator, type RunningImSimulator } from '../../src/node/im-sim-server.js';
import { startWorkerPool, type WorkerPool } from '../../src/node/worker-runtime.js';
import { buildProcessors } from '../../workers/processors/index.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { sharedToscaEngine } from '../helpers/tosca.js';
import { singleNodeTemplate } from '../im/templates.js';

export interface DeploymentRig {
  app: TestApp;
  sim: RunningImSimulator;
  /** In-process workers, unless the test runs its own. */
  workers?: WorkerPool;
  /** Tokens: alice and bob are users, root an admin. */
  alice: string;
  bob: string;
  root: string;
  aliceId: string;
  bobId: string;
  templateId(opts?: { count?: number; scenario?: string }): Promise<string>;
  deploy(body: Record<string, unknown>, token?: string): Promise<string>;
  waitStatus(id: string, statuses: string[], token?: string, timeoutMs?: number): Promise<any>;
  liveInfras(): Promise<Array<{ id: string; state: string }>>;
  /** The stored orchestrator log of a deployment once it matches every pattern (lines are stored asynchronously). */
  waitLog(id: string, patterns: RegExp[], timeoutMs?: number): Promise<string>;
  control(path: string, body?: unknown): Promise<Response>;
  /** Forces every VM of an infrastructure into a state, waiting for its VMs to launch first. */
  forceState(infraId: string, state: string): Promise<void>;
  close(): Promise<void>;
}

/** The API, a worker pool and the IM simulator over HTTP, on real Postgres and Redis. */
export async function startDeploymentRig(o: { env?: Record<string, string>; workers?: boolean } = {}): Promise<DeploymentRig> {
  const sim = await startImSimulator({ mode: 'test', tosca: await sharedToscaEngine(), timings: { preparingMs: 20, pendingMs: 40, configureMs: 80, deleteMs: 30, refreshMs: 0 } });
  const app = await createTestApp({ IM_URL: sim.url, IM_POLL_BASE_MS: '20', IM_POLL_MAX_MS: '100', IM_TIMEOUT_MS: '5000', ...o.env });
  const workers =
    o.workers === false
      ? undefined
      : await startWorkerPool({
          redisUrl: TEST_REDIS_URL,
          prefix: app.prefix,
          concurrency: 20,
          processors: buildProcessors({ services: app.deps, logRetentionDays: 30 }),
          queues: app.queues,
          logger: app.logger,
        });
  const alice = await app.token('alice', { groups: ['users', 'physics'] });
  const bob = await app.token('bob');
  const root = await app.token('root', { groups: ['admins'] });
  const register = async (token: string) => (await app.call('POST', '/api/v1/users', { token })).body.id as string;
  const aliceId = await register(alice);
  const bobId = await register(bob);
  await register(root);
  const templates = new Map<string, string>();
  const control = (path: string, body?: unknown) =>
    fetch(`${sim.url}/__sim${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const rig: DeploymentRig = {
    app,
    sim,
    workers,
    alice,
    bob,
    root,
    aliceId,
    bobId,
    async templateId(opts = {}) {
      const content = singleNodeTemplate(opts);
      if (!templates.has(content)) {
        const res = await app.call('POST', '/api/v1/templates', { token: alice, json: { content, name: `t-${templates.size}` } });
        expect(res.status).toBe(201);
        templates.set(content, res.body.id);
      }
      return templates.get(content)!;
    },
    async deploy(body, token = alice) {
      const res = await app.call('POST', '/api/v1/deployments', { token, json: body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.id;
    },
    async waitStatus(id, statuses, token = alice, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = await app.call('GET', `/api/v1/deployments/${id}`, { token });
        if (statuses.includes(res.body.status_name)) return res.body;
        if (Date.now() > until) throw new Error(`deployment ${id} stayed ${res.body.status_name} (${res.body.task_name}): ${res.body.status_reason}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async liveInfras() {
      const body = (await (await control('/infrastructures')).json()) as { infrastructures: Array<{ id: string; state: string }> };
      return body.infrastructures;
    },
    async waitLog(id, patterns, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const rows = await app.deps.db.select({ line: deploymentLogs.line }).from(deploymentLogs).where(eq(deploymentLogs.deploymentId, id));
        const text = rows.map((r) => r.line).join('\n');
        if (patterns.every((p) => p.test(text)) || Date.now() > until) return text;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    control,
    async forceState(infraId, state) {
      const until = Date.now() + 10_000;
      for (;;) {
        const res = await control(`/infrastructures/${infraId}/state`, { state });
        if (res.ok) return;
        // 409: the simulator has not launched the VMs yet.
        if (res.status !== 409 || Date.now() > until) throw new Error(`cannot force ${infraId} to ${state}: ${res.status} ${await res.text()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      await workers?.close();
      await app.close();
      await sim.close();
    },
  };
  return rig;
}
