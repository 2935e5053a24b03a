import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/node/free-port.js';
import { deploymentJobId } from '../../src/queue/job-ids.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';
import { singleNodeTemplate } from '../im/templates.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';
import { poll, spawnEntry, waitForOutput, waitHealthy, type Spawned } from './processes.helpers.js';

let rig: DeploymentRig;
const spawned: Spawned[] = [];

beforeAll(async () => {
  rig = await startDeploymentRig({ workers: false });
}, 60_000);
afterAll(async () => {
  for (const p of spawned) p.child.kill('SIGKILL');
  await rig?.close();
});

function commonEnv(): Record<string, string> {
  return {
    DATABASE_URL: rig.app.database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: rig.app.prefix,
    SECRET_KEY: TEST_SECRET_KEY,
    LOG_LEVEL: 'info',
  };
}

/** `npm run worker` on the rig's database, queues and simulator. */
function startWorker(env: Record<string, string> = {}): Spawned {
  const p = spawnEntry('workers/main.ts', {
    ...commonEnv(),
    IM_URL: rig.sim.url,
    IM_POLL_BASE_MS: '20',
    IM_POLL_MAX_MS: '100',
    WORKER_LOCK_MS: '1000',
    ...env,
  });
  spawned.push(p);
  return p;
}

async function createJobState(id: string): Promise<string> {
  const job = await rig.app.queues.deployments.getJob(deploymentJobId(id, 1));
  return job ? job.getState() : 'missing';
}

async function imCreates(): Promise<number> {
  const body = (await (await rig.control('/requests?path=^/infrastructures$')).json()) as { requests: Array<{ method: string }> };
  return body.requests.filter((r) => r.method === 'POST').length;
}

/** Deploys with the simulator holding the IM create call for `holdMs`, and waits until a worker is inside that step. */
async function deployWithSlowCreate(holdMs: number, worker: Spawned): Promise<string> {
  await fetch(`${rig.sim.url}/__sim/requests`, { method: 'DELETE' });
  await rig.control('/faults', { method: 'POST', path: '^/infrastructures$', delayMs: holdMs, times: 1 });
  const id = await rig.deploy({ template_id: await rig.templateId() });
  await waitForOutput(worker, /"msg":"worker started"/);
  await poll('the create job to be active', async () => ((await createJobState(id)) === 'active' ? true : undefined), 30_000);
  // The worker is now in the create step, waiting on the IM.
  await new Promise((r) => setTimeout(r, 300));
  return id;
}

describe('SIGTERM to a worker process during an active deployment job', () => {
  it('lets the active step finish within SHUTDOWN_GRACE_MS, exits 0, and the next worker completes the deployment', async () => {
    const first = startWorker({ SHUTDOWN_GRACE_MS: '15000' });
    const id = await deployWithSlowCreate(1500, first);
    const signalled = Date.now();
    expect(await first.stop('SIGTERM'), first.output()).toBe(0);
    const took = Date.now() - signalled;
    expect(took, first.output()).toBeGreaterThan(700);
    expect(first.output()).toContain('"msg":"shutdown complete"');
    expect(first.output()).not.toContain('outlived the shutdown grace period');
    // The step ran to its end before the process left: the IM create was answered and the job handed back.
    expect(await imCreates()).toBe(1);
    expect(['delayed', 'waiting', 'prioritized']).toContain(await createJobState(id));

    startWorker();
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'], rig.alice, 60_000);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    expect(done.attempts).toHaveLength(1);
    expect(await imCreates()).toBe(1);
    expect((await rig.liveInfras()).map((i) => i.id)).toContain(done.im_infra_id);
    for (const p of spawned.splice(0)) await p.stop('SIGTERM');
  }, 120_000);

  it('stops waiting after the grace period, exits 0, and stalled-job recovery lets another worker finish', async () => {
    const first = startWorker({ SHUTDOWN_GRACE_MS: '200' });
    const id = await deployWithSlowCreate(4000, first);
    const signalled = Date.now();
    expect(await first.stop('SIGTERM'), first.output()).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3500);
    expect(first.output()).toContain('outlived the shutdown grace period');
    expect(first.output()).toContain('"msg":"shutdown complete"');

    startWorker();
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'], rig.alice, 60_000);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    // No deployment is left in progress.
    const running = await rig.app.call('GET', '/api/v1/deployments?status=CREATE_IN_PROGRESS', { token: rig.alice });
    expect(running.status).toBe(200);
    expect(running.body.data).toEqual([]);
    for (const p of spawned.splice(0)) await p.stop('SIGTERM');
  }, 120_000);
});

describe('SIGTERM to an API process during an in-flight request', () => {
  it('answers health 503 while draining, refuses new connections, finishes the request, exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = spawnEntry('src/node/main-api.ts', {
      ...commonEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      OIDC_ISSUERS: rig.app.issuer.issuer,
      SHUTDOWN_DRAIN_DELAY_MS: '1000',
      SHUTDOWN_GRACE_MS: '15000',
    });
    spawned.push(api);
    await waitHealthy(api, url);

    // A template upload whose body trickles in over ~2.5 s: in flight when the signal arrives.
    const payload = JSON.stringify({ content: singleNodeTemplate({ count: 7 }), name: 'slow-upload' });
    const chunks = payload.match(/[\s\S]{1,200}/g)!;
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/api/v1/templates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rig.alice}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      (async () => {
        for (const chunk of chunks) {
          req.write(chunk);
          await new Promise((r) => setTimeout(r, 2500 / chunks.length));
        }
        req.end();
      })().catch(reject);
    });
    await new Promise((r) => setTimeout(r, 300));
    const exited = api.stop('SIGTERM');

    const draining = await poll('health to answer 503', async () => {
      const res = await fetch(`${url}/api/v1/health`).catch(() => undefined);
      return res?.status === 503 ? ((await res.json()) as { status: string; details: string }) : undefined;
    }, 2000, 20);
    expect(draining.status).toBe('unhealthy');
    expect(draining.details).toContain('shutting down');
    // After the drain delay the listener is closed: new connections are refused.
    await poll('the listener to close', async () => ((await fetch(`${url}/api/v1/health`).then(() => false, () => true)) ? true : undefined), 5000, 50);

    const answer = await response;
    expect(answer.status, answer.body).toBe(201);
    expect(await exited, api.output()).toBe(0);
    expect(api.output()).toContain('"msg":"shutdown complete"');
    const stored = await rig.app.call('GET', `/api/v1/templates/${JSON.parse(answer.body).id}`, { token: rig.alice });
    expect(stored.status).toBe(200);
  }, 120_000);
});
