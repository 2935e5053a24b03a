import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/node/free-port.js';
import { startImSimulator, type RunningImSimulator } from '../../src/node/im-sim-server.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { sampleValue, seriesOf } from '../helpers/prometheus-text.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';
import { sharedToscaEngine } from '../helpers/tosca.js';
import { singleNodeTemplate } from '../im/templates.js';
import { poll, spawnEntry, waitForOutput, type Spawned } from './processes.helpers.js';

let sim: RunningImSimulator;
let api: TestApp;
let worker: Spawned;
let workerMetricsUrl: string;

beforeAll(async () => {
  sim = await startImSimulator({ mode: 'test', tosca: await sharedToscaEngine(), timings: { preparingMs: 20, pendingMs: 40, configureMs: 80, deleteMs: 30, refreshMs: 0 } });
  api = await createTestApp({ IM_URL: sim.url }, {}, { nodeRoutes: true });
  const port = await freePort();
  workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  // `npm run worker` on the API's database and queues: its own process, its own registry, its own port.
  worker = spawnEntry('workers/main.ts', {
    DATABASE_URL: api.database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: api.prefix,
    IM_URL: sim.url,
    SECRET_KEY: TEST_SECRET_KEY,
    IM_POLL_BASE_MS: '20',
    IM_POLL_MAX_MS: '100',
    HOST: '127.0.0.1',
    WORKER_METRICS_PORT: String(port),
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  });
  await waitForOutput(worker, /"msg":"worker started"/, 60_000);
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await sim?.close();
});

const scrapeApi = async () => {
  const res = await api.call('GET', '/metrics');
  expect(res.status).toBe(200);
  return res.body as string;
};
const scrapeWorker = async () => {
  const res = await fetch(workerMetricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
};

const POST_DEPLOYMENTS = { method: 'POST', route: '/api/v1/deployments', status: '202' };

describe('Prometheus metrics of the API and of a worker process', () => {
  it('move when a deployment goes to CREATE_COMPLETE', async () => {
    const alice = await api.token('alice');
    expect((await api.call('POST', '/api/v1/users', { token: alice })).status).toBe(201);
    const template = await api.call('POST', '/api/v1/templates', { token: alice, json: { content: singleNodeTemplate(), name: 'metrics' } });
    expect(template.status).toBe(201);

    const apiBefore = await scrapeApi();
    const workerBefore = await scrapeWorker();
    expect(sampleValue(apiBefore, 'http_requests_total', POST_DEPLOYMENTS)).toBeUndefined();
    expect(sampleValue(workerBefore, 'orchestrator_jobs_processed_total', { queue: 'deployments', name: 'create' })).toBeUndefined();

    const created = await api.call('POST', '/api/v1/deployments', { token: alice, json: { template_id: template.body.id } });
    expect(created.status).toBe(202);
    const done = await poll('CREATE_COMPLETE', async () => {
      const res = await api.call('GET', `/api/v1/deployments/${created.body.id}`, { token: alice });
      return ['CREATE_COMPLETE', 'CREATE_FAILED'].includes(res.body.status_name) ? res.body : undefined;
    }, 60_000);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');

    // API: the request counter and latency histogram of the route, queue depth, deployments by status.
    const apiAfter = await poll('the deployments gauge to count the completed deployment', async () => {
      const text = await scrapeApi();
      return sampleValue(text, 'orchestrator_deployments', { status: 'CREATE_COMPLETE' }) === 1 ? text : undefined;
    }, 20_000, 250);
    expect(sampleValue(apiAfter, 'http_requests_total', POST_DEPLOYMENTS)).toBe(1);
    expect(sampleValue(apiAfter, 'http_request_duration_seconds_count', POST_DEPLOYMENTS)).toBe(1);
    expect(sampleValue(apiAfter, 'http_request_duration_seconds_bucket', { ...POST_DEPLOYMENTS, le: '+Inf' })).toBe(1);
    expect(sampleValue(apiAfter, 'orchestrator_deployments', { status: 'CREATE_IN_PROGRESS' })).toBe(0);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(sampleValue(apiAfter, 'orchestrator_queue_jobs', { queue: 'deployments', state }), state).toBeGreaterThanOrEqual(0);
    }

    // Worker: jobs per outcome, job durations, IM request durations, queue depth and process metrics.
    const workerAfter = await scrapeWorker();
    const processed = sampleValue(workerAfter, 'orchestrator_jobs_processed_total', { queue: 'deployments', name: 'create' });
    expect(processed).toBeGreaterThanOrEqual(1);
    expect(sampleValue(workerAfter, 'orchestrator_job_duration_seconds_count', { queue: 'deployments', name: 'create', outcome: 'completed' })).toBe(processed);
    // The create step waits on the IM by deferring its job: those runs are neither processed nor failed.
    expect(sampleValue(workerAfter, 'orchestrator_jobs_deferred_total', { queue: 'deployments', name: 'create' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(workerAfter, 'orchestrator_jobs_failed_total', { queue: 'deployments', name: 'create' })).toBeUndefined();
    expect(sampleValue(workerAfter, 'orchestrator_im_request_duration_seconds_count', { operation: 'createInfrastructure', outcome: 'ok' })).toBe(1);
    expect(sampleValue(workerAfter, 'orchestrator_im_request_duration_seconds_count', { operation: 'getState', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(seriesOf(workerAfter, 'orchestrator_queue_jobs').map((s) => s.labels.queue)).toEqual(expect.arrayContaining(['deployments', 'resource-actions', 'log-ingest', 'maintenance']));
    expect(sampleValue(workerAfter, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  }, 120_000);

  it('answers only GET /metrics on the worker port', async () => {
    expect((await fetch(workerMetricsUrl.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(workerMetricsUrl, { method: 'POST' })).status).toBe(405);
  });
});
