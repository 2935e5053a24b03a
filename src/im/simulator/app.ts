import { Hono, type Context } from 'hono';
import type { ParseResult, ToscaEngine } from '../../tosca/index.js';
import { redactAuthHeader } from '../auth-header.js';
import { sleep as defaultSleep } from '../retry.js';
import type { ImSimulatorOptions, SimEnv } from './env.js';
import { matchFault } from './faults.js';
import { createUuidV1Generator, randomUuid } from './ids.js';
import { registerControlRoutes } from './routes-control.js';
import { registerCreateRoutes } from './routes-create.js';
import { registerInfraRoutes } from './routes-infra.js';
import { registerMiscRoutes } from './routes-misc.js';
import { registerVmRoutes } from './routes-vms.js';
import { createSimStore, recordRequest } from './store.js';
import { resolveTimings } from './timings.js';
import { imError } from './wire.js';

const HANG_MS = 10 * 60_000;
const PARSE_CACHE_SIZE = 64;
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function recordedHeaders(c: Context): Record<string, string> {
  const out: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    out[name] = name === 'authorization' ? redactAuthHeader(value) : SECRET_HEADERS.has(name) ? '*****' : value;
  });
  return out;
}

function cachedParser(tosca: ToscaEngine): (text: string) => Promise<ParseResult> {
  const cache = new Map<string, Promise<ParseResult>>();
  return (text) => {
    const hit = cache.get(text);
    if (hit) return hit;
    const parsed = tosca.parse(text);
    cache.set(text, parsed);
    if (cache.size > PARSE_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return parsed;
  };
}

export function createSimEnv(options: ImSimulatorOptions): SimEnv {
  const store = options.store ?? createSimStore();
  const wall = options.now ?? Date.now;
  const simNow = () => wall() + store.clockOffsetMs;
  return {
    store,
    timings: resolveTimings(options.speed, options.timings),
    tosca: options.tosca,
    parseTosca: cachedParser(options.tosca),
    mode: options.mode ?? 'production',
    simNow,
    newId: options.newId ?? createUuidV1Generator(simNow),
    newInstanceId: randomUuid,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
    acceptedIssuers: options.acceptedIssuers,
    users: options.users,
    version: options.version ?? '1.19.2',
    onReset: options.onReset,
  };
}

/**
 * A runtime-neutral Hono app that behaves like the IM REST API (contract: im-contract.md), with state
 * derived from the clock at read time, per-infrastructure scenarios, fault rules and, outside
 * production mode, the `/__sim` control API.
 */
export function createImSimulatorApp(options: ImSimulatorOptions): Hono {
  const env = createSimEnv(options);
  const app = new Hono();

  if (env.mode !== 'production') registerControlRoutes(app, env);

  app.use('*', async (c, next) => {
    if (env.mode === 'production' || c.req.path.startsWith('/__sim')) return next();
    const at = env.simNow();
    await next();
    recordRequest(env.store, {
      at,
      method: c.req.method,
      path: c.req.path,
      query: new URL(c.req.url).search,
      status: c.res.status,
      headers: recordedHeaders(c),
      infId: /^\/infrastructures\/([^/]+)/.exec(c.req.path)?.[1],
    });
  });

  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/__sim')) return next();
    const signal = c.req.raw.signal;
    const [min, max] = env.timings.requestLatencyMs;
    if (max > 0) await env.sleep(Math.round(min + env.random() * Math.max(0, max - min)), signal).catch(() => undefined);
    const hit = matchFault(env.store, c.req.method, c.req.path, env.random);
    if (!hit) return next();
    if (hit.delayMs > 0) await env.sleep(hit.delayMs, signal).catch(() => undefined);
    if (hit.rule.action === 'reset') {
      env.onReset?.(c);
      return c.body(null, 502);
    }
    if (hit.rule.action === 'hang') {
      await env.sleep(HANG_MS, signal).catch(() => undefined);
      return imError(c, 504, 'Operation timed out');
    }
    if (hit.rule.status !== undefined) return imError(c, hit.rule.status, hit.rule.body ?? 'Simulated fault');
    return next();
  });

  registerMiscRoutes(app, env);
  registerCreateRoutes(app, env);
  registerVmRoutes(app, env);
  registerInfraRoutes(app, env);

  app.notFound((c) => imError(c, 404, 'The requested URL was not found on the server.'));
  app.onError((err, c) => imError(c, 500, `Error: ${err instanceof Error ? err.message : String(err)}`));
  return app;
}
