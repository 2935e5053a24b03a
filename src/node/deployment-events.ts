import type { Redis } from 'ioredis';
import type { Logger } from '../services/logger.js';
import { loggableError } from '../services/loggable-error.js';
import { UnavailableError } from '../services/errors.js';
import type { DeploymentEvent, EventFeed, EventPublisher, FeedListener, FeedScope, StoredEvent } from '../services/events/deployment-events.js';

/** Enough history for a client that reconnects after a while; older ids resume with the current status. */
const PER_DEPLOYMENT_MAXLEN = 1000;
const ALL_MAXLEN = 10_000;
const PER_DEPLOYMENT_TTL_S = 86_400;
const SUBSCRIBE_TIMEOUT_MS = 5000;

export interface EventKeys {
  all: string;
  channel: string;
  of(deploymentId: string): string;
}

export function eventKeys(prefix: string): EventKeys {
  return { all: `${prefix}:events:all`, channel: `${prefix}:events:wake`, of: (id) => `${prefix}:events:${id}` };
}

/*
 * One script, so a change costs the producer one round trip: the global stream picks the id, the
 * deployment's stream reuses it (both views share one Last-Event-ID space), and the PUBLISH carries
 * the whole event, so a subscriber fans it out without reading the stream back.
 */
const PUBLISH_LUA = `
local gid = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 't', ARGV[4], 'd', ARGV[5], 'e', ARGV[6])
local did = gid
local ok = redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], gid, 't', ARGV[4], 'd', ARGV[5], 'e', ARGV[6])
if type(ok) == 'table' and ok.err then
  did = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 't', ARGV[4], 'd', ARGV[5], 'e', ARGV[6])
end
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[7], gid .. '\\n' .. did .. '\\n' .. ARGV[4] .. '\\n' .. ARGV[5] .. '\\n' .. ARGV[6])
return gid
`;

type WithPublish = Redis & {
  orchPublishDeploymentEvent(all: string, own: string, allMax: number, ownMax: number, ttl: number, type: string, id: string, data: string, channel: string): Promise<string>;
};

const scripted = new WeakSet<Redis>();

/** Publishes over the process's producer connection: stored in both streams, then announced. */
export function redisEventPublisher(redis: Redis, prefix: string, logger: Logger): EventPublisher {
  if (!scripted.has(redis)) {
    redis.defineCommand('orchPublishDeploymentEvent', { numberOfKeys: 2, lua: PUBLISH_LUA });
    scripted.add(redis);
  }
  const keys = eventKeys(prefix);
  return {
    async publish(event: DeploymentEvent) {
      try {
        await (redis as WithPublish).orchPublishDeploymentEvent(
          keys.all,
          keys.of(event.deploymentId),
          ALL_MAXLEN,
          PER_DEPLOYMENT_MAXLEN,
          PER_DEPLOYMENT_TTL_S,
          event.type,
          event.deploymentId,
          JSON.stringify(event.data),
          keys.channel,
        );
      } catch (err) {
        logger.warn({ err: loggableError(err), deploymentId: event.deploymentId, type: event.type }, 'deployment event not published');
      }
    },
  };
}

function toEvent(id: string, type: string | undefined, deploymentId: string | undefined, data: string | undefined): StoredEvent | undefined {
  if ((type !== 'status' && type !== 'log') || !deploymentId || data === undefined) return undefined;
  try {
    return { id, type, deploymentId, data: JSON.parse(data) } as StoredEvent;
  } catch {
    return undefined;
  }
}

function parseEntry([id, fields]: [string, string[]]): StoredEvent | undefined {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return toEvent(id, f.t, f.d, f.e);
}

export interface RedisEventFeed extends EventFeed {
  /** Live listeners now, for tests and metrics. */
  listeners(): number;
}

/**
 * The API side: reads go over the producer connection; live events come from ONE subscriber
 * connection per process (made on the first listener), fanned out in memory to every client.
 */
export function redisEventFeed(reader: Redis, prefix: string, logger: Logger): RedisEventFeed {
  const keys = eventKeys(prefix);
  const all = new Set<FeedListener>();
  const byDeployment = new Map<string, Set<FeedListener>>();
  let subscriber: Redis | undefined;
  let subscribed: Promise<void> | undefined;
  let closed = false;

  const everyListener = () => [...all, ...[...byDeployment.values()].flatMap((s) => [...s])];
  const keyOf = (scope: FeedScope) => (scope === 'all' ? keys.all : keys.of(scope.deploymentId));

  const dispatch = (message: string) => {
    const [gid, did, type, deploymentId, ...rest] = message.split('\n');
    const data = rest.join('\n');
    const forAll = toEvent(gid!, type, deploymentId, data);
    if (!forAll) return;
    for (const l of all) l.onEvent(forAll);
    const own = byDeployment.get(forAll.deploymentId);
    if (own?.size) {
      const event = did === gid ? forAll : { ...forAll, id: did! };
      for (const l of own) l.onEvent(event);
    }
  };

  const connect = (): Redis => {
    const sub = reader.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: false, lazyConnect: false });
    let readyBefore = false;
    let down = false;
    sub.on('error', (err) => {
      if (!down) logger.warn({ err: loggableError(err) }, 'event subscriber connection error');
      down = true;
    });
    sub.on('message', (_channel: string, message: string) => dispatch(message));
    sub.on('ready', () => {
      down = false;
      if (!readyBefore) {
        readyBefore = true;
        return;
      }
      // Events published while the connection was down were not heard: every listener reads them back.
      sub.subscribe(keys.channel).then(
        () => everyListener().forEach((l) => l.onGap()),
        (err) => logger.warn({ err: loggableError(err) }, 'event subscriber could not subscribe again'),
      );
    });
    return sub;
  };

  const ensureSubscribed = (): Promise<void> => {
    subscriber ??= connect();
    if (!subscribed) {
      const sub = subscriber;
      let timer: NodeJS.Timeout | undefined;
      subscribed = Promise.race([
        sub.subscribe(keys.channel).then(() => undefined),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no subscription within ${SUBSCRIBE_TIMEOUT_MS} ms`)), SUBSCRIBE_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      subscribed.catch(() => {
        subscribed = undefined;
      });
    }
    return subscribed;
  };

  const unavailable = (err: unknown): never => {
    logger.warn({ err: loggableError(err) }, 'event feed unavailable');
    throw new UnavailableError('The event feed is unavailable; try again shortly');
  };

  return {
    async read(scope, o) {
      const count = o.inclusive ? o.count : o.count + 1;
      const raw = (await reader.xrange(keyOf(scope), o.from, '+', 'COUNT', count).catch(unavailable)) as Array<[string, string[]]>;
      const entries = raw.map(parseEntry).filter((e): e is StoredEvent => !!e);
      return (o.inclusive ? entries : entries.filter((e) => e.id !== o.from)).slice(0, o.count);
    },
    async lastId(scope) {
      const raw = (await reader.xrevrange(keyOf(scope), '+', '-', 'COUNT', 1).catch(unavailable)) as Array<[string, string[]]>;
      return raw[0]?.[0];
    },
    async listen(scope, listener) {
      if (closed) throw new UnavailableError('The server is shutting down');
      await ensureSubscribed().catch(unavailable);
      let set = all;
      if (scope !== 'all') {
        set = byDeployment.get(scope.deploymentId) ?? new Set();
        byDeployment.set(scope.deploymentId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (scope !== 'all' && !set.size) byDeployment.delete(scope.deploymentId);
      };
    },
    listeners: () => everyListener().length,
    async close() {
      if (closed) return;
      closed = true;
      for (const l of everyListener()) l.onClose();
      all.clear();
      byDeployment.clear();
      subscriber?.disconnect();
    },
  };
}
