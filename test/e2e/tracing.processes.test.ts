import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/node/free-port.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';
import { poll, spawnEntry, waitForOutput, waitHealthy, type Spawned } from './processes.helpers.js';

/** One span as an OTLP/JSON export carries it, with the service that sent it. */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  events: string[];
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
type OtlpAttribute = { key: string; value: OtlpValue };
type OtlpExport = {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: OtlpAttribute[]; events?: Array<{ name: string }> }> }>;
  }>;
};

const valueOf = (v: OtlpValue) => v.stringValue ?? v.intValue ?? v.boolValue;
const attributesOf = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

const exported: ExportedSpan[] = [];
let collector: Server;
let rig: DeploymentRig;
const processes: Spawned[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        for (const rs of (JSON.parse(body) as OtlpExport).resourceSpans) {
          const service = String(attributesOf(rs.resource.attributes)['service.name']);
          for (const s of rs.scopeSpans.flatMap((ss) => ss.spans)) {
            exported.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, attributes: attributesOf(s.attributes), events: (s.events ?? []).map((e) => e.name) });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  rig = await startDeploymentRig({ workers: false });
}, 60_000);
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await rig?.close();
  await new Promise((r) => collector?.close(r));
});

function tracedEnv(): Record<string, string> {
  return {
    DATABASE_URL: rig.app.database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: rig.app.prefix,
    SECRET_KEY: TEST_SECRET_KEY,
    OIDC_ISSUERS: rig.app.issuer.issuer,
    IM_URL: rig.sim.url,
    IM_POLL_BASE_MS: '20',
    IM_POLL_MAX_MS: '100',
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_SERVICE_NAME: '',
    OTEL_RESOURCE_ATTRIBUTES: '',
  };
}

describe('an API process and a worker process exporting to one collector', () => {
  it('report a deployment as one trace: the request in the API, every step and IM call in the worker', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = spawnEntry('src/node/main-api.ts', { ...tracedEnv(), PORT: String(port), HOST: '127.0.0.1' });
    const worker = spawnEntry('workers/main.ts', tracedEnv());
    processes.push(api, worker);
    await Promise.all([waitHealthy(api, url), waitForOutput(worker, /"msg":"worker started"/, 60_000)]);

    const template_id = await rig.templateId();
    const res = await fetch(`${url}/api/v1/deployments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rig.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'], rig.alice, 30_000);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');

    const steps = () => exported.filter((s) => s.name === 'process deployments' && s.attributes['orchestrator.deployment_id'] === id);
    await poll('the final step span', async () => (steps().some((s) => s.events.includes('job completed')) ? true : undefined), 15_000);

    const post = exported.find((s) => s.name === 'POST /api/v1/deployments');
    expect(post?.service).toBe('orchestrator-api');
    const enqueue = exported.find((s) => s.name === 'add deployments.create' && s.traceId === post!.traceId);
    expect(enqueue?.service).toBe('orchestrator-api');
    expect(enqueue!.parentSpanId).toBe(post!.spanId);

    expect(steps().length).toBeGreaterThanOrEqual(2);
    for (const step of steps()) {
      expect(step.service).toBe('orchestrator-worker');
      expect(step.traceId).toBe(post!.traceId);
      expect(step.parentSpanId).toBe(enqueue!.spanId);
    }
    // A step's span is exported after the IM calls it made: wait until each call's parent has arrived too.
    const imCalls = await poll('the IM call spans and their parents', async () => {
      const calls = exported.filter((s) => s.name.startsWith('IM '));
      const complete = calls.some((s) => s.name === 'IM createInfrastructure') && calls.every((c) => exported.some((s) => s.spanId === c.parentSpanId));
      return complete ? calls : undefined;
    }, 15_000);
    const stepIds = new Set(exported.filter((s) => s.name.startsWith('process ') && s.traceId === post!.traceId).map((s) => s.spanId));
    for (const call of imCalls) {
      expect(call.service, call.name).toBe('orchestrator-worker');
      expect(call.traceId, call.name).toBe(post!.traceId);
      expect(stepIds.has(call.parentSpanId!), `${call.name} runs inside a worker step`).toBe(true);
    }

    expect(await api.stop('SIGTERM'), api.output()).toBe(0);
    expect(await worker.stop('SIGTERM'), worker.output()).toBe(0);
  }, 90_000);
});
