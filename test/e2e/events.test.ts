import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { redisEventFeed } from '../../src/node/deployment-events.js';
import { startHttpServer, type RunningServer } from '../../src/node/http-server.js';
import { compareEventIds } from '../../src/services/events/deployment-events.js';
import { createProducerConnection, waitForReady } from '../../src/node/redis.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { openSse, type SseClient, type SseMessage } from '../helpers/sse-client.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

const HEARTBEAT_MS = 300;

let rig: DeploymentRig;
beforeAll(async () => {
  rig = await startDeploymentRig({ env: { EVENTS_HEARTBEAT_MS: String(HEARTBEAT_MS), LOG_FLUSH_MS: '20' } });
}, 60_000);
afterAll(async () => rig?.close());

const open: SseClient[] = [];
async function follow(path: string, token: string | null = rig.alice, headers?: Record<string, string>, base = rig.app.url): Promise<SseClient> {
  const client = await openSse(`${base}/api/v1${path}`, { token: token ?? undefined, headers });
  open.push(client);
  return client;
}
afterAll(() => open.forEach((c) => c.close()));

const data = (m: SseMessage) => JSON.parse(m.data ?? 'null');
const isStatus = (id: string, statusName?: string) => (m: SseMessage) => m.event === 'status' && data(m).id === id && (!statusName || data(m).status_name === statusName);
const statusesOf = (client: SseClient, id: string) => client.messages.filter(isStatus(id));
const steps = (ms: SseMessage[]) => ms.map((m) => `${data(m).status_name}/${data(m).task_name}`);

/** The deployment's whole stored history, replayed from the start of its stream. */
async function history(id: string, until = 'CREATE_COMPLETE'): Promise<SseMessage[]> {
  const replay = await follow(`/deployments/${id}/events?last_event_id=0-0`);
  await replay.next(isStatus(id, until));
  replay.close();
  return statusesOf(replay, id);
}

describe('GET /api/v1/deployments/{id}/events', () => {
  it('streams the changes the worker makes, CREATE_IN_PROGRESS to CREATE_COMPLETE with each task between, in order', async () => {
    const all = await follow('/events?owned_by=me');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await all.next((m) => m.event === 'ready');
    const id = await rig.deploy({ template_id: await rig.templateId() });
    await all.next(isStatus(id, 'CREATE_COMPLETE'));

    const seen = statusesOf(all, id);
    expect(steps(seen)).toEqual([
      'CREATE_IN_PROGRESS/submitted',
      'CREATE_IN_PROGRESS/creating_infrastructure',
      'CREATE_IN_PROGRESS/waiting_for_infrastructure',
      'CREATE_IN_PROGRESS/collecting_resources',
      'CREATE_COMPLETE/done',
    ]);
    const ids = seen.map((m) => m.id!);
    expect(ids.every((x, i) => i === 0 || compareEventIds(ids[i - 1]!, x) < 0)).toBe(true);
    expect(data(seen.at(-1)!)).toMatchObject({ id, status: 0, task: 10, status_reason: null });
    expect(Date.parse(data(seen.at(-1)!).at)).not.toBeNaN();

    // The same ids on the deployment's own stream, and its log lines as they are stored.
    const own = await history(id);
    expect(own.map((m) => m.id)).toEqual(ids);
    const logs = await all.next((m) => m.event === 'log' && data(m).id === id && data(m).lines.some((l: { line: string }) => /deployment complete/.test(l.line)));
    expect(logs.id).toMatch(/^\d+-\d+$/);
  });

  it('starts with the status the deployment is in when the client connects', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    await rig.waitStatus(id, ['CREATE_COMPLETE']);
    const client = await follow(`/deployments/${id}/events`);
    const first = await client.next((m) => m.event !== undefined);
    expect(first.event).toBe('status');
    expect(data(first)).toMatchObject({ id, status_name: 'CREATE_COMPLETE', task_name: 'done' });
    // Where to resume from: at or past the last change (log events may follow it).
    expect(compareEventIds(first.id!, (await history(id)).at(-1)!.id!)).toBeGreaterThanOrEqual(0);
  });

  it('resumes with Last-Event-ID: every change missed meanwhile, none twice', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    const before = await follow(`/deployments/${id}/events?last_event_id=0-0`);
    const firstSeen = await before.next(isStatus(id));
    before.close();
    await rig.waitStatus(id, ['CREATE_COMPLETE']);

    const after = await follow(`/deployments/${id}/events`, rig.alice, { 'last-event-id': firstSeen.id! });
    await after.next(isStatus(id, 'CREATE_COMPLETE'));
    const resumed = statusesOf(after, id);
    const got = [firstSeen, ...resumed].map((m) => m.id);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual((await history(id)).map((m) => m.id));
    expect(data(firstSeen).status_name).toBe('CREATE_IN_PROGRESS');
  });

  it('starts again from the current status when the id resumed from is no longer kept', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    await rig.waitStatus(id, ['CREATE_COMPLETE']);
    const client = await follow(`/deployments/${id}/events`, rig.alice, { 'last-event-id': '1-0' });
    const first = await client.next((m) => m.event !== undefined);
    expect(data(first)).toMatchObject({ id, status_name: 'CREATE_COMPLETE' });
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    await rig.waitStatus(id, ['CREATE_COMPLETE']);
    const client = await follow(`/deployments/${id}/events`);
    const started = Date.now();
    await client.next((m) => m.comment === 'ping', { timeoutMs: HEARTBEAT_MS * 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(HEARTBEAT_MS - 50);
  });

  it('answers 404 to another user, 401 without a token, 422 to a malformed Last-Event-ID; admins may follow', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    const bob = await follow(`/deployments/${id}/events`, rig.bob);
    expect(bob.status).toBe(404);
    const anonymous = await follow(`/deployments/${id}/events`, null);
    expect(anonymous.status).toBe(401);
    const missing = await follow(`/deployments/${crypto.randomUUID()}/events`);
    expect(missing.status).toBe(404);
    const malformed = await follow(`/deployments/${id}/events`, rig.alice, { 'last-event-id': 'yesterday' });
    expect(malformed.status).toBe(422);
    const unknownParam = await follow(`/deployments/${id}/events?since=now`);
    expect(unknownParam.status).toBe(422);
    const admin = await follow(`/deployments/${id}/events`, rig.root);
    expect(admin.status).toBe(200);
    await admin.next(isStatus(id));
  });

  it('ends the stream with an expired event when the access token expires', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    const shortLived = await rig.app.token('alice', { groups: ['users', 'physics'], expiresInSec: 3 });
    const before = rig.app.eventFeed.listeners();
    const client = await follow(`/deployments/${id}/events`, shortLived);
    await client.next(isStatus(id));
    const expired = await client.next((m) => m.event === 'expired');
    expect(data(expired).detail).toMatch(/token expired/);
    await client.ended;
    const until = Date.now() + 5000;
    while (rig.app.eventFeed.listeners() > before && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(rig.app.eventFeed.listeners()).toBe(before);
  });

  it('stops the listener when the client goes away', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    const before = rig.app.eventFeed.listeners();
    const client = await follow(`/deployments/${id}/events`);
    await client.next(isStatus(id));
    expect(rig.app.eventFeed.listeners()).toBe(before + 1);
    client.close();
    const until = Date.now() + 5000;
    while (rig.app.eventFeed.listeners() > before && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(rig.app.eventFeed.listeners()).toBe(before);
  });
});

describe('several API instances', () => {
  let second: RunningServer;
  let secondFeed: ReturnType<typeof redisEventFeed>;
  let secondRedis: ReturnType<typeof createProducerConnection>;
  beforeAll(async () => {
    // Another API process on the same database and Redis prefix: its own connections and subscriber.
    secondRedis = createProducerConnection(TEST_REDIS_URL);
    secondRedis.on('error', () => {});
    await waitForReady(secondRedis);
    secondFeed = redisEventFeed(secondRedis, rig.app.prefix, rig.app.logger);
    second = await startHttpServer(createApp({ ...rig.app.deps, eventFeed: secondFeed }).fetch, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await secondFeed?.close();
    await second?.close();
    secondRedis?.disconnect();
  });

  it('hear the same events, with the same ids, over one subscription each', async () => {
    const id = await rig.deploy({ template_id: await rig.templateId() });
    const here = await follow(`/deployments/${id}/events?last_event_id=0-0`);
    const there = await follow(`/deployments/${id}/events?last_event_id=0-0`, rig.alice, undefined, second.url);
    const more = await Promise.all([1, 2, 3].map(() => follow(`/deployments/${id}/events`, rig.alice, undefined, second.url)));
    await Promise.all([here, there].map((c) => c.next(isStatus(id, 'CREATE_COMPLETE'))));
    expect(statusesOf(there, id).map((m) => m.id)).toEqual(statusesOf(here, id).map((m) => m.id));
    expect(steps(statusesOf(there, id)).at(-1)).toBe('CREATE_COMPLETE/done');
    await Promise.all(more.map((c) => c.next(isStatus(id, 'CREATE_COMPLETE'))));
    const [, subscribers] = (await secondRedis.pubsub('NUMSUB', `${rig.app.prefix}:events:wake`)) as [string, number];
    expect(subscribers).toBe(2);
  });

  it('end their streams when the server shuts down', async () => {
    const feed = redisEventFeed(secondRedis, rig.app.prefix, rig.app.logger);
    const http = await startHttpServer(createApp({ ...rig.app.deps, eventFeed: feed }).fetch, 0, '127.0.0.1');
    const client = await follow('/events?owned_by=me', rig.alice, undefined, http.url);
    await client.next((m) => m.event === 'ready');
    await feed.close();
    await client.ended;
    await http.close();
  });
});

describe('GET /api/v1/events', () => {
  it('shows only the caller’s deployments with owned_by=me (and without it); admins may see all', async () => {
    const bobs = await follow('/events?owned_by=me', rig.bob);
    const bobsDefault = await follow('/events', rig.bob);
    const roots = await follow('/events', rig.root);
    await Promise.all([bobs, bobsDefault, roots].map((c) => c.next((m) => m.event === 'ready')));
    const aliceId = await rig.deploy({ template_id: await rig.templateId() });
    const bobId = await rig.deploy({ template_id: await rig.templateId() }, rig.bob);
    await Promise.all([bobs, bobsDefault, roots].map((c) => c.next(isStatus(bobId, 'CREATE_COMPLETE'))));
    await roots.next(isStatus(aliceId, 'CREATE_COMPLETE'));
    for (const c of [bobs, bobsDefault]) {
      const ids = new Set(c.messages.filter((m) => m.event === 'status' || m.event === 'log').map((m) => data(m).id));
      expect([...ids]).toEqual([bobId]);
    }
  });

  it('refuses another user’s view to users (403), and resumes after an id', async () => {
    const other = await follow(`/events?owned_by=${rig.aliceId}`, rig.bob);
    expect(other.status).toBe(403);
    const admin = await follow(`/events?owned_by=${rig.aliceId}`, rig.root);
    expect(admin.status).toBe(200);

    const all = await follow('/events?owned_by=me');
    const ready = await all.next((m) => m.event === 'ready');
    const id = await rig.deploy({ template_id: await rig.templateId() });
    await all.next(isStatus(id, 'CREATE_COMPLETE'));
    const resumed = await follow('/events?owned_by=me', rig.alice, { 'last-event-id': ready.id! });
    await resumed.next(isStatus(id, 'CREATE_COMPLETE'));
    expect(statusesOf(resumed, id).map((m) => m.id)).toEqual(statusesOf(all, id).map((m) => m.id));
    expect(resumed.messages.some((m) => m.event === 'ready' || m.event === 'resync')).toBe(false);
  });
});
