import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_HTTP_LIMITS, startHttpServer, type HttpLimits, type RunningServer } from '../../src/node/http-server.js';
import { openSse, type SseClient } from '../helpers/sse-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { singleNodeTemplate } from '../im/templates.js';

const LIMITS: HttpLimits = { headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 1000 };
const STREAMS = 200;

/** Live heap after a full collection, so garbage not yet collected does not count as held memory. */
function liveHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

let t: TestApp;
/** The same API behind a server with short slow-client bounds. */
let server: RunningServer;
let alice: string;
let deploymentId: string;

beforeAll(async () => {
  t = await createTestApp({ EVENTS_HEARTBEAT_MS: '500' });
  server = await startHttpServer(createApp(t.deps).fetch, 0, '127.0.0.1', LIMITS);
  alice = await t.token('slow-alice');
  const template = await t.call('POST', '/api/v1/templates', { token: alice, json: { content: singleNodeTemplate(), name: 'slow' } });
  const created = await t.call('POST', '/api/v1/deployments', { token: alice, json: { template_id: template.body.id } });
  expect(created.status).toBe(202);
  deploymentId = created.body.id;
}, 60_000);
afterAll(async () => {
  await server?.close(1000);
  await t?.close();
});

interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** The milliseconds from connect to the server hanging up; throws if it keeps the connection past `graceMs`. */
  closedWithin(graceMs: number): Promise<number>;
}

async function rawConnect(): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const started = Date.now();
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  const closedWithin = (graceMs: number) =>
    Promise.race([
      closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the server kept the connection open; it sent ${JSON.stringify(data)}`)), graceMs).unref()),
    ]).finally(() => socket.destroy());
  return { socket, received: () => data, closedWithin };
}

/** Writes `text` a byte every `everyMs` until the server hangs up or `deadlineMs` passes; returns the bytes sent. */
async function trickle(c: RawConnection, text: string, everyMs: number, deadlineMs: number): Promise<number> {
  const until = Date.now() + deadlineMs;
  let sent = 0;
  while (!c.socket.destroyed && c.socket.writable && sent < text.length && Date.now() < until) {
    c.socket.write(text[sent]!);
    sent++;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return sent;
}

describe('slow clients', () => {
  it('cuts off a client that sends its headers a byte at a time, with 408', async () => {
    const c = await rawConnect();
    const headers = `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'z'.repeat(400)}\r\n\r\n`;
    const sent = await trickle(c, headers, 50, 8000);
    const elapsed = await c.closedWithin(3000);
    expect(sent).toBeLessThan(headers.length);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsed).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 100);
    expect(elapsed).toBeLessThan(LIMITS.headersTimeoutMs + 5000);
  });

  it('cuts off a client that sends its headers, then trickles the body', async () => {
    const c = await rawConnect();
    const body = JSON.stringify({ content: singleNodeTemplate(), name: 'never-stored' });
    c.socket.write(
      `POST /api/v1/templates HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${alice}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    const sent = await trickle(c, body, 50, 8000);
    const elapsed = await c.closedWithin(3000);
    expect(sent).toBeLessThan(body.length);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsed).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
    expect(elapsed).toBeLessThan(LIMITS.requestTimeoutMs + 5000);
    const names = (await t.call('GET', '/api/v1/templates?size=100', { token: alice })).body.data.map((d: { name: string }) => d.name);
    expect(names).not.toContain('never-stored');
  });

  it('closes a keep-alive connection once it has been idle for the keep-alive timeout', async () => {
    const c = await rawConnect();
    c.socket.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const elapsed = await c.closedWithin(LIMITS.keepAliveTimeoutMs + 5000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(c.received()).toMatch(/keep-alive/i);
    expect(elapsed).toBeGreaterThanOrEqual(LIMITS.keepAliveTimeoutMs - 100);
  });

  it('keeps an event stream open well past the request timeout', async () => {
    const stream = await openSse(`${server.url}/api/v1/deployments/${deploymentId}/events`, { token: alice });
    try {
      expect(stream.status).toBe(200);
      await stream.next((m) => m.event === 'status');
      const opened = Date.now();
      // Heartbeats arrive every 500 ms: wait for them until two request timeouts have gone by.
      let from = 0;
      while (Date.now() - opened < 2 * LIMITS.requestTimeoutMs) {
        await stream.next((m) => m.comment === 'ping', { from });
        from = stream.messages.length;
      }
      const late = await stream.next((m) => m.comment === 'ping', { from });
      expect(late.comment).toBe('ping');
    } finally {
      stream.close();
    }
  });
});

describe(`${STREAMS} open event streams`, () => {
  it('still answers other requests, keeps memory bounded, and frees every listener when they close', async () => {
    // The stream of the previous test may still be leaving.
    const settle = Date.now() + 15_000;
    while (t.eventFeed.listeners() !== 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
    const baseListeners = t.eventFeed.listeners();
    expect(baseListeners).toBe(0);
    const heapBefore = liveHeap();
    const streams: SseClient[] = [];
    try {
      for (let i = 0; i < STREAMS; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: 50 }, () => openSse(`${server.url}/api/v1/deployments/${deploymentId}/events`, { token: alice })),
        );
        streams.push(...batch);
      }
      expect(streams.map((s) => s.status)).toEqual(streams.map(() => 200));
      await Promise.all(streams.map((s) => s.next((m) => m.event === 'status', { timeoutMs: 20_000 })));
      expect(t.eventFeed.listeners() - baseListeners).toBe(STREAMS);

      const others = await Promise.all([
        fetch(`${server.url}/api/v1/health`).then((r) => r.status),
        fetch(`${server.url}/api/v1/deployments/${deploymentId}`, { headers: { authorization: `Bearer ${alice}` } }).then((r) => r.status),
      ]);
      expect(others).toEqual([200, 200]);
      // Client and server share this process: both sides of 200 streams must fit in a few tens of MiB.
      expect(liveHeap() - heapBefore).toBeLessThan(64 * 1024 * 1024);
    } finally {
      streams.forEach((s) => s.close());
    }
    const until = Date.now() + 15_000;
    while (t.eventFeed.listeners() !== baseListeners && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(t.eventFeed.listeners()).toBe(baseListeners);
  });
});

describe('HTTP_* timeouts in the configuration', () => {
  it('defaults to the server defaults and refuses a headers timeout longer than the request timeout', () => {
    expect(loadConfig({}, 'all-in-one').http).toEqual(DEFAULT_HTTP_LIMITS);
    const err = (() => {
      try {
        loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '90000', HTTP_REQUEST_TIMEOUT_MS: '60000' }, 'all-in-one');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS (90000) must not exceed HTTP_REQUEST_TIMEOUT_MS (60000): the headers are part of the request',
    ]);
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '0' }, 'all-in-one')).toThrow(/HTTP_REQUEST_TIMEOUT_MS must be a positive integer/);
  });
});
