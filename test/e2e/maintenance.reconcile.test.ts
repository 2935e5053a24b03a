import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments } from '../../src/db/schema.js';
import { deploymentJobId } from '../../src/queue/job-ids.js';
import { startWorkerPool, type WorkerPool } from '../../src/node/worker-runtime.js';
import { buildProcessors } from '../../workers/processors/index.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { deleteRedisPrefix } from '../helpers/redis-cleanup.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
const pools: WorkerPool[] = [];
const RECONCILE_MS = 300;

beforeAll(async () => {
  rig = await startDeploymentRig({ workers: false });
  // Three pools on one prefix, as three worker processes would run.
  for (let i = 0; i < 3; i++) {
    pools.push(
      await startWorkerPool({
        redisUrl: TEST_REDIS_URL,
        prefix: rig.app.prefix,
        concurrency: 10,
        lockMs: 1000,
        processors: buildProcessors({ services: rig.app.deps, logRetentionDays: 30 }),
        queues: rig.app.queues,
        logger: rig.app.logger,
        schedules: { reconcileMs: RECONCILE_MS, timeoutSweepMs: RECONCILE_MS, reassertMs: 200 },
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(pools.map((p) => p.close(true)));
  await rig?.close();
});

async function waitForInfra(id: string): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice });
    if (res.body.im_infra_id) return res.body.im_infra_id;
    if (Date.now() > until) throw new Error(`no infrastructure: ${res.body.status_name} ${res.body.status_reason}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function waitResourceStatus(id: string, rid: string, statuses: string[]): Promise<any> {
  const until = Date.now() + 45_000;
  for (;;) {
    const res = await rig.app.call('GET', `/api/v1/deployments/${id}/resources/${rid}`, { token: rig.alice });
    if (statuses.includes(res.body.status_name)) return res.body;
    if (Date.now() > until) throw new Error(`resource ${rid} stayed ${res.body.status_name}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the maintenance schedulers', () => {
  it('bring back every in-flight job and resource action after Redis loses its data, with one infrastructure per deployment', async () => {
    // Five finished deployments whose VMs are pinned running, so each stop action stays in flight.
    const plain = await rig.templateId();
    const finished = await Promise.all(Array.from({ length: 5 }, () => rig.deploy({ template_id: plain })));
    const complete = await Promise.all(finished.map((id) => rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'])));
    expect(complete.map((d) => d.status_name)).toEqual(finished.map(() => 'CREATE_COMPLETE'));
    await Promise.all(complete.map((d) => rig.forceState(d.im_infra_id, 'configured')));
    const vms = await Promise.all(
      finished.map(async (id) => {
        const list = await rig.app.call('GET', `/api/v1/deployments/${id}/resources`, { token: rig.alice });
        const rid = list.body.data[0].id as string;
        expect((await rig.app.call('PATCH', `/api/v1/deployments/${id}/resources/${rid}/stop`, { token: rig.alice })).status).toBe(202);
        return { id, rid };
      }),
    );

    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const ids = await Promise.all(Array.from({ length: 20 }, () => rig.deploy({ template_id })));
    const infras = await Promise.all(ids.map(waitForInfra));

    // Redis restarted without persistence: jobs, schedules and locks are gone.
    await deleteRedisPrefix(rig.app.prefix);
    expect(await rig.app.queues.deployments.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 0, active: 0 });
    expect(await rig.app.queues['resource-actions'].getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 0, active: 0 });

    await Promise.all([...infras.map((infra) => rig.forceState(infra, 'configured')), ...complete.map((d) => rig.forceState(d.im_infra_id, 'stopped'))]);
    const done = await Promise.all(ids.map((id) => rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'], rig.alice, 45_000)));
    expect(done.map((d) => d.status_name)).toEqual(ids.map(() => 'CREATE_COMPLETE'));
    expect(done.map((d) => d.im_infra_id).sort()).toEqual([...infras].sort());
    const stopped = await Promise.all(vms.map((v) => waitResourceStatus(v.id, v.rid, ['STOPPED', 'ERROR'])));
    expect(stopped.map((r) => `${r.status_name} ${r.status_reason ?? ''}`.trim())).toEqual(vms.map(() => 'STOPPED'));
    const all = [...infras, ...complete.map((d) => d.im_infra_id)];
    expect((await rig.liveInfras()).map((i) => i.id).sort()).toEqual(all.sort());
  }, 90_000);

  it('runs each tick once however many worker pools upsert the schedules', async () => {
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 6 * RECONCILE_MS));
    const elapsed = Date.now() - started;
    const schedulers = await rig.app.queues.maintenance.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['log-cleanup', 'reconcile', 'timeout-sweep']);
    const ran = (await rig.app.queues.maintenance.getJobs(['completed'])).filter((j) => j.name === 'reconcile' && j.finishedOn! >= started);
    expect(new Set(ran.map((j) => j.id)).size).toBe(ran.length);
    expect(ran.length).toBeGreaterThanOrEqual(2);
    expect(ran.length).toBeLessThanOrEqual(Math.ceil(elapsed / RECONCILE_MS) + 1);
  }, 30_000);

  it('fails an overdue deployment whose job was lost, leaving no infrastructure', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id });
    const infra = await waitForInfra(id);
    // The job vanishes while it waits for its next poll; only then does the deadline pass, so no worker
    // step of that job can be the one that notices it.
    const until = Date.now() + 20_000;
    for (;;) {
      const job = await rig.app.queues.deployments.getJob(deploymentJobId(id, 1));
      if (!job) break;
      if ((await job.getState()) === 'delayed' && (await job.remove().then(() => true, () => false))) break;
      if (Date.now() > until) throw new Error(`the job of ${id} never waited for a poll`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await rig.app.deps.db.update(deployments).set({ deadlineAt: sql`now() - interval '1 minute'` }).where(eq(deployments.id, id));
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'], rig.alice, 30_000);
    expect(done.status_name).toBe('CREATE_FAILED');
    expect(done.status_reason).toMatch(/total timeout/i);
    const gone = Date.now() + 10_000;
    while ((await rig.liveInfras()).some((i) => i.id === infra) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    expect((await rig.liveInfras()).map((i) => i.id)).not.toContain(infra);
  }, 60_000);
});
