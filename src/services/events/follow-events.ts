import { findDeployment, ownersOfMany } from '../../db/deployments-repo.js';
import type { Database } from '../../db/database.js';
import { DEPLOYMENT_TASK } from '../../domain/deployment-task.js';
import { visibleDeployment, type Caller } from '../deployments/access.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { ExpiringMap } from '../expiring-map.js';
import {
  compareEventIds,
  FIRST_EVENT_ID,
  statusEventOf,
  type EventFeed,
  type FeedListener,
  type FeedScope,
  type StatusEventData,
  type StoredEvent,
} from './deployment-events.js';

/** What a follower is sent, in order. */
export type FeedItem =
  | { kind: 'event'; event: StoredEvent }
  /** The status the deployment is in now; `id` is where to resume from. */
  | { kind: 'status'; id: string; data: StatusEventData }
  /** The all-deployments view is live from `id` on. */
  | { kind: 'ready'; id: string }
  /** Events after the client's id are no longer kept: it should re-read the deployments. */
  | { kind: 'resync'; id: string }
  | { kind: 'ping' };

export interface EventStream {
  items: AsyncIterable<FeedItem>;
  /** Stops following (client gone); safe to call more than once. */
  close(): void;
}

export interface FollowDeps {
  db: Database;
  eventFeed: EventFeed;
}

export interface FollowOptions {
  /** The id of the last event the client got (Last-Event-ID). */
  lastEventId?: string;
  heartbeatMs: number;
}

const PAGE = 200;
/** A client this far behind is read back from the stream instead of held in memory. */
const MAX_QUEUED = 1000;

type Filter = (events: StoredEvent[]) => Promise<{ events: StoredEvent[]; end?: boolean }>;

/** Live events of one subscription, queued until the client's writer takes them. */
class Live implements FeedListener {
  queue: StoredEvent[] = [];
  gap = false;
  stopped = false;
  private wake?: () => void;

  onEvent(event: StoredEvent) {
    if (this.queue.length >= MAX_QUEUED) {
      this.queue = [];
      this.gap = true;
    } else this.queue.push(event);
    this.notify();
  }
  onGap() {
    this.gap = true;
    this.notify();
  }
  onClose() {
    this.stopped = true;
    this.notify();
  }
  notify() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
  take(): StoredEvent[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }
  wait(ms: number): Promise<'wake' | 'timeout'> {
    if (this.queue.length || this.gap || this.stopped) return Promise.resolve('wake');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve('timeout');
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve('wake');
      };
    });
  }
}

/**
 * Listening starts before anything is read, and every event is delivered only if its id is past
 * the cursor: stored events (catch-up, or after a lost subscription) and live ones meet without a
 * hole or a repeat.
 */
async function* pump(feed: EventFeed, scope: FeedScope, live: Live, first: FeedItem[], cursor: string, o: { heartbeatMs: number; filter: Filter }): AsyncGenerator<FeedItem> {
  yield* first;
  let catchUp = true;
  while (!live.stopped) {
    if (catchUp || live.gap) {
      catchUp = false;
      live.gap = false;
      for (;;) {
        const page = await feed.read(scope, { from: cursor, inclusive: false, count: PAGE });
        if (!page.length) break;
        cursor = page.at(-1)!.id;
        const kept = await o.filter(page);
        for (const event of kept.events) yield { kind: 'event', event };
        if (kept.end) return;
        if (page.length < PAGE) break;
      }
    }
    const fresh = live.take().filter((e) => compareEventIds(e.id, cursor) > 0);
    if (fresh.length) {
      cursor = fresh.at(-1)!.id;
      const kept = await o.filter(fresh);
      for (const event of kept.events) yield { kind: 'event', event };
      if (kept.end) return;
      continue;
    }
    if ((await live.wait(o.heartbeatMs)) === 'timeout') yield { kind: 'ping' };
  }
}

/** Subscribes, then works out where the client starts; `start` gives the first items and the cursor. */
async function open(
  feed: EventFeed,
  scope: FeedScope,
  o: FollowOptions,
  start: (resumable: boolean | undefined) => Promise<{ first: FeedItem[]; cursor: string }>,
  filter: Filter,
): Promise<EventStream> {
  const live = new Live();
  const unlisten = await feed.listen(scope, live);
  const close = () => {
    unlisten();
    live.onClose();
  };
  try {
    let resumable: boolean | undefined;
    if (o.lastEventId === FIRST_EVENT_ID) resumable = true;
    else if (o.lastEventId !== undefined) {
      // The client's last event still stored means nothing after it was trimmed or expired.
      const head = await feed.read(scope, { from: o.lastEventId, inclusive: true, count: 1 });
      resumable = head[0]?.id === o.lastEventId;
    }
    const { first, cursor } = resumable ? { first: [], cursor: o.lastEventId! } : await start(resumable);
    return { items: pump(feed, scope, live, first, cursor, { heartbeatMs: o.heartbeatMs, filter }), close };
  } catch (err) {
    close();
    throw err;
  }
}

const movesOwners = (e: StoredEvent) => e.type === 'status' && e.data.task === DEPLOYMENT_TASK.updating_owners;

/**
 * The events of one deployment (owners and admins; others get 404): its current status first
 * unless the client resumes, then every change and new log batch. An owner removed meanwhile
 * stops hearing them.
 */
export async function followDeployment(s: FollowDeps, caller: Caller, id: string, o: FollowOptions): Promise<EventStream> {
  await visibleDeployment(s.db, caller, id);
  const scope = { deploymentId: id };
  return open(
    s.eventFeed,
    scope,
    o,
    async () => {
      const cursor = (await s.eventFeed.lastId(scope)) ?? FIRST_EVENT_ID;
      const row = await findDeployment(s.db, id);
      if (!row) throw new NotFoundError('Deployment', id);
      return { first: [{ kind: 'status', id: cursor, data: statusEventOf(row).data as StatusEventData }], cursor };
    },
    async (events) => {
      if (events.some(movesOwners)) {
        const still = await visibleDeployment(s.db, caller, id).then(() => true, () => false);
        if (!still) return { events: [], end: true };
      }
      return { events };
    },
  );
}

type OwnersCache = ExpiringMap<string, string[]>;
/** Owners by deployment, per database, shared by every follower of the process. */
const ownersCaches = new WeakMap<Database, OwnersCache>();

function ownersCache(db: Database): OwnersCache {
  let cache = ownersCaches.get(db);
  if (!cache) {
    cache = new ExpiringMap<string, string[]>({ max: 50_000, ttlMs: 60_000 });
    ownersCaches.set(db, cache);
  }
  return cache;
}

function ownedBy(db: Database, userId: string): Filter {
  const cache = ownersCache(db);
  return async (events) => {
    for (const e of events) if (movesOwners(e)) cache.delete(e.deploymentId);
    const unknown = [...new Set(events.map((e) => e.deploymentId).filter((d) => !cache.has(d)))];
    if (unknown.length) for (const [d, owners] of await ownersOfMany(db, unknown)) cache.set(d, owners);
    return { events: events.filter((e) => cache.get(e.deploymentId)?.includes(userId)) };
  };
}

/**
 * The events of every deployment the caller owns (`me` or, for admins, any user id; admins may
 * leave it out to hear all). No snapshot: a `ready` item gives the id to resume from.
 */
export async function followDeployments(s: FollowDeps, caller: Caller, o: FollowOptions & { ownedBy?: string }): Promise<EventStream> {
  let owner = o.ownedBy === 'me' ? caller.userId : o.ownedBy;
  if (!caller.identity.isAdmin) {
    if (owner !== undefined && owner !== caller.userId) throw new ForbiddenError("Only admins may follow other users' deployments");
    owner = caller.userId;
  }
  return open(
    s.eventFeed,
    'all',
    o,
    async (resumable) => {
      const cursor = (await s.eventFeed.lastId('all')) ?? FIRST_EVENT_ID;
      return { first: [resumable === false ? { kind: 'resync', id: cursor } : { kind: 'ready', id: cursor }], cursor };
    },
    owner === undefined ? async (events) => ({ events }) : ownedBy(s.db, owner),
  );
}
