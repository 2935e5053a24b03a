import { context, propagation, trace } from '@opentelemetry/api';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/node/free-port.js';
import { startTelemetry, tracingRequested } from '../../src/node/telemetry.js';
import { poll, spawnEntry, waitHealthy, type Spawned } from '../e2e/processes.helpers.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { deleteRedisPrefix } from '../helpers/redis-cleanup.js';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';

describe('when tracing is switched on', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
    [{ OTEL_TRACES_EXPORTER: 'console' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' }, true],
  ])('%o gives %s', (env, on) => {
    expect(tracingRequested(env)).toBe(on);
  });

  it('without an endpoint, starts nothing: spans stay no-ops and carry no context into jobs or IM calls', async () => {
    for (const env of [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' }]) {
      const telemetry = await startTelemetry('orchestrator-test', env);
      expect(telemetry.exporting).toBe(false);
      const span = trace.getTracer('probe').startSpan('probe');
      expect(span.isRecording()).toBe(false);
      const headers: Record<string, string> = {};
      context.with(trace.setSpan(context.active(), span), () => propagation.inject(context.active(), headers));
      expect(headers).toEqual({});
      span.end();
      await telemetry.shutdown();
    }
  });
});

describe('an API process with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  const received: Array<{ method: string; path: string; type: string; body: Buffer }> = [];
  let collector: Server;
  let database: TestDatabase;
  let issuer: TestIssuer;
  let api: Spawned | undefined;
  const prefix = `test-${crypto.randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method!, path: req.url!, type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    database = await createTestDatabase();
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await new Promise((r) => collector?.close(r));
    await issuer?.close();
    await database?.drop();
    await deleteRedisPrefix(prefix);
  });

  it('sends the request spans over OTLP/HTTP to /v1/traces, flushed by the graceful shutdown', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    api = spawnEntry('src/node/main-api.ts', {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SECRET_KEY: TEST_SECRET_KEY,
      OIDC_ISSUERS: issuer.issuer,
      PORT: String(port),
      HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_SERVICE_NAME: '',
      OTEL_RESOURCE_ATTRIBUTES: '',
      // Held in the batch until shutdown: the spans reach the collector only if shutdown flushes them.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    });
    await waitHealthy(api, url);
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    expect(received).toEqual([]);

    expect(await api.stop('SIGTERM'), api.output()).toBe(0);
    const batch = await poll('a trace export', async () => received.find((r) => r.path === '/v1/traces'), 5_000);
    expect(batch.method).toBe('POST');
    expect(batch.type).toBe('application/x-protobuf');
    // Protobuf keeps strings as UTF-8 bytes: the default service name and the route-named span are readable.
    const text = batch.body.toString('latin1');
    expect(text).toMatch(/service\.name[\s\S]{1,8}orchestrator-api/);
    expect(text).toContain('GET /api/v1/health');
  }, 60_000);
});
