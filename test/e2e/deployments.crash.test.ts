import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentJobId } from '../../src/queue/job-ids.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

let rig: DeploymentRig;
const children: ChildProcess[] = [];

beforeAll(async () => {
  rig = await startDeploymentRig({ workers: false });
}, 60_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rig?.close();
});

/**
 * `npm run worker` as its own process on the rig's database, Redis prefix and simulator: one node
 * process (the tsx launcher would run the worker as a child that a SIGKILL of the launcher misses).
 */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: rig.app.database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: rig.app.prefix,
      IM_URL: rig.sim.url,
      SECRET_KEY: TEST_SECRET_KEY,
      IM_POLL_BASE_MS: '20',
      IM_POLL_MAX_MS: '100',
      WORKER_LOCK_MS: '1000',
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

async function waitForInfra(id: string): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice });
    if (res.body.im_infra_id) return res.body.im_infra_id;
    if (Date.now() > until) throw new Error(`no infrastructure: ${res.body.status_name} ${res.body.status_reason}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a worker killed in the middle of a create', () => {
  it('leaves the deployment to the next worker, which completes it with exactly one infrastructure', async () => {
    const template_id = await rig.templateId({ scenario: 'stuck-running' });
    const id = await rig.deploy({ template_id });
    const first = startWorkerProcess();
    const infra = await waitForInfra(id);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    await rig.forceState(infra, 'configured');

    startWorkerProcess();
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'], rig.alice, 60_000);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.im_infra_id).toBe(infra);
    expect(done.attempts).toHaveLength(1);
    expect((await rig.liveInfras()).map((i) => i.id)).toEqual([infra]);

    // A duplicated job (enqueued again by a reconciler, or by hand) finds the work done: no second create.
    await rig.app.queues.deployments.add('create', { v: 1, deploymentId: id, opSeq: 1 }, { jobId: `${deploymentJobId(id, 1)}-dup` });
    await rig.app.queues.deployments.add('create', { v: 1, deploymentId: id, opSeq: 1 }, { jobId: deploymentJobId(id, 1) });
    await new Promise((r) => setTimeout(r, 500));
    expect((await rig.liveInfras()).map((i) => i.id)).toEqual([infra]);
    const after = await rig.app.call('GET', `/api/v1/deployments/${id}`, { token: rig.alice });
    expect(after.body.attempts).toHaveLength(1);
  }, 120_000);
});
