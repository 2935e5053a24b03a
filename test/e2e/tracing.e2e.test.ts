import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues } from '../../src/node/queues.js';
import { startWorkerPool } from '../../src/node/worker-runtime.js';
import { deploymentJobId } from '../../src/queue/job-ids.js';
import { buildProcessors } from '../../workers/processors/index.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { poll } from './processes.helpers.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

const exporter = new InMemorySpanExporter();
let rig: DeploymentRig;

beforeAll(async () => {
  // What the Node SDK registers in production: a provider, async context tracking and W3C propagation.
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  rig = await startDeploymentRig();
}, 60_000);
afterAll(async () => {
  await rig?.close();
  trace.disable();
  context.disable();
  propagation.disable();
});

const spans = () => exporter.getFinishedSpans();
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const processSpansOf = (deploymentId: string) =>
  spans().filter((s) => s.name === 'process deployments' && s.attributes['orchestrator.deployment_id'] === deploymentId);

describe('a deployment traced from the API request to the IM calls of the worker', () => {
  it('keeps the POST, the enqueue, every worker step and every IM call in one trace', async () => {
    const template_id = await rig.templateId();
    exporter.reset();
    const id = await rig.deploy({ template_id });
    const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
    // The last step's span ends once BullMQ has recorded the job as completed.
    await poll('the final step span', async () => (processSpansOf(id).some((s) => s.events.some((e) => e.name === 'job completed')) ? true : undefined), 15_000);

    const post = spans().find((s) => s.name === 'POST /api/v1/deployments');
    expect(post?.kind).toBe(SpanKind.SERVER);
    expect(post!.attributes['http.response.status_code']).toBe(202);
    const traceId = post!.spanContext().traceId;

    const enqueue = spans().find((s) => s.name === 'add deployments.create');
    expect(enqueue?.kind).toBe(SpanKind.PRODUCER);
    expect(enqueue!.spanContext().traceId).toBe(traceId);
    expect(parentOf(enqueue!)).toBe(post!.spanContext().spanId);

    // The create step defers while the IM works: each re-run is its own span under the same enqueue.
    const steps = processSpansOf(id);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    for (const step of steps) {
      expect(step.kind).toBe(SpanKind.CONSUMER);
      expect(step.spanContext().traceId).toBe(traceId);
      expect(parentOf(step)).toBe(enqueue!.spanContext().spanId);
      expect(step.attributes).toMatchObject({
        'messaging.system': 'bullmq',
        'messaging.destination.name': 'deployments',
        'messaging.message.id': deploymentJobId(id, 1),
        'orchestrator.job.name': 'create',
      });
    }
    expect(steps.filter((s) => typeof s.attributes['orchestrator.job.deferred_ms'] === 'number').length).toBeGreaterThanOrEqual(1);

    // A step's span ends after the IM calls it made: wait until each call's parent has ended too.
    const imCalls = await poll('the IM call spans and their parents', async () => {
      const calls = spans().filter((s) => s.name.startsWith('IM '));
      return calls.every((c) => spans().some((s) => s.spanContext().spanId === parentOf(c))) ? calls : undefined;
    }, 15_000);
    expect(imCalls.map((s) => s.name)).toEqual(expect.arrayContaining(['IM createInfrastructure', 'IM getState', 'IM getOutputs']));
    const consumers = new Set(spans().filter((s) => s.kind === SpanKind.CONSUMER && s.spanContext().traceId === traceId).map((s) => s.spanContext().spanId));
    for (const call of imCalls) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.spanContext().traceId, call.name).toBe(traceId);
      expect(consumers.has(parentOf(call)!), `${call.name} runs inside a worker step`).toBe(true);
    }
  });

  it('continues the trace of a caller that sends a W3C traceparent header', async () => {
    exporter.reset();
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const res = await rig.app.call('GET', '/api/v1/deployments', { token: rig.alice, headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` } });
    expect(res.status).toBe(200);
    const server = spans().find((s) => s.name === 'GET /api/v1/deployments');
    expect(server?.spanContext().traceId).toBe(callerTrace);
    expect(parentOf(server!)).toBe(callerSpan);
  });

  it('starts a separate trace for each scheduled maintenance run rather than growing one trace forever', async () => {
    exporter.reset();
    // A prefix of its own: the rig's pool keeps re-asserting its one-minute schedules on the rig's queues.
    const prefix = `${rig.app.prefix}-schedules`;
    const queues = createQueues(rig.app.redis, prefix);
    const pool = await startWorkerPool({
      redisUrl: TEST_REDIS_URL,
      prefix,
      concurrency: 1,
      processors: buildProcessors({ services: rig.app.deps, logRetentionDays: 30 }),
      queues,
      logger: rig.app.logger,
      schedules: { reconcileMs: 150, timeoutSweepMs: 150 },
    });
    try {
      const runs = await poll('three maintenance runs', async () => {
        const found = spans().filter((s) => s.name === 'process maintenance');
        return found.length >= 3 ? found : undefined;
      }, 15_000);
      for (const run of runs) expect(run.parentSpanContext, String(run.attributes['messaging.message.id'])).toBeUndefined();
      expect(new Set(runs.map((r) => r.spanContext().traceId)).size).toBe(runs.length);
    } finally {
      await pool.close();
      await Promise.allSettled(Object.values(queues).map((q) => q.obliterate({ force: true })));
      await closeQueues(queues);
    }
  });
});
