import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { DEPLOYMENT_STATUS } from '../../src/domain/deployment-status.js';
import { REPO_ROOT, spawnTs, type Child } from './child.js';
import type { BenchContext } from './context.js';
import { BENCH_GROUP, SINGLE_NODE_TEMPLATE } from './deployment-fixtures.js';
import { randomSecretKey, startApiProcess, TOSCA_TYPES_DIR, type ProductApi } from './product-api.js';
import { profileFlags } from './profile-flags.js';
import { startAnnouncingServer } from './raw-server.js';
import { createBenchDatabase, deleteRedisPrefix } from './services.js';

/** The simulator scenarios the engine scenarios deploy: an IM answering in 20 ms, at once, or holding the deployment running. */
export const ENGINE_TEMPLATES = {
  latency: 'ok; latency=20ms',
  instant: 'ok',
  held: 'ok; ctxtSeconds=100000000',
} as const;
export type EngineTemplate = keyof typeof ENGINE_TEMPLATES;

export interface WorkerSet {
  pids: number[];
  /** The event-loop/RSS probe file of each worker (when probed). */
  probeFiles: string[];
  stop(): Promise<void>;
}

export interface EngineStack {
  api: ProductApi;
  /** The stack's own database (no deployment of another scenario lingers in it). */
  sql: postgres.Sql;
  databaseUrl: string;
  databaseName: string;
  prefix: string;
  simUrl: string;
  templateIds: Record<EngineTemplate, string>;
  /** Worker processes (`workers/main.ts`) on the stack; resolves once each has started. */
  startWorkers(count: number, env?: Record<string, string>, o?: { probe?: boolean }): Promise<WorkerSet>;
  /** Creates deployments through the API, `inFlight` requests at a time; answers their ids. */
  submit(template: EngineTemplate, count: number, inFlight?: number): Promise<string[]>;
  /** Waits until every deployment has `status`; throws naming a failure or the stragglers. */
  waitForStatus(ids: string[], status: number, timeoutMs: number): Promise<void>;
  simControl(path: string, body?: unknown): Promise<unknown>;
}

function templateWith(scenario: string): string {
  return SINGLE_NODE_TEMPLATE.replace('description: bench single node\n', `description: bench single node\nmetadata:\n  im_sim_scenario: "${scenario}"\n`);
}

async function waitForOutput(child: Child, needle: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.output().includes(needle)) return;
    if ((await Promise.race([child.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))])) === true) {
      throw new Error(`${child.label} exited before "${needle}":\n${child.output().slice(-4000)}`);
    }
    if (Date.now() > until) throw new Error(`${child.label}: no "${needle}" within ${timeoutMs} ms:\n${child.output().slice(-4000)}`);
  }
}

const FAILED = [DEPLOYMENT_STATUS.CREATE_FAILED, DEPLOYMENT_STATUS.DELETE_FAILED, DEPLOYMENT_STATUS.UPDATE_FAILED];

/**
 * An API, an IM simulator and worker processes on a database and queue prefix of their own, so
 * the deployments other scenarios leave behind (never run) are not reconciled into these figures.
 */
export function engineStack(ctx: BenchContext): Promise<EngineStack> {
  return ctx.once('engine-stack', async () => {
    const database = await createBenchDatabase();
    ctx.onCleanup(database.drop);
    const prefix = `${ctx.prefix}-engine`;
    ctx.onCleanup(() => deleteRedisPrefix(prefix));
    const dataDir = join(ctx.dataDir, 'engine');
    mkdirSync(dataDir, { recursive: true });
    const secretKey = randomSecretKey();
    const typesEnv: Record<string, string> = existsSync(TOSCA_TYPES_DIR) ? { TOSCA_TYPES_DIR } : {};
    const [sim, api] = await Promise.all([
      startAnnouncingServer(ctx, 'engine-sim', 'bench/lib/engine-sim-process.ts', () => typesEnv),
      startApiProcess(ctx, 'engine-api', { databaseUrl: database.url, prefix, secretKey, dataDir }),
    ]);
    const sql = postgres(database.url, { max: 2, onnotice: () => {} });
    ctx.onCleanup(() => sql.end());
    const headers = { ...api.authHeaders, 'content-type': 'application/json' };
    const templateIds = {} as Record<EngineTemplate, string>;
    for (const [name, scenario] of Object.entries(ENGINE_TEMPLATES) as Array<[EngineTemplate, string]>) {
      const res = await fetch(`${api.url}/api/v1/templates`, { method: 'POST', headers, body: JSON.stringify({ content: templateWith(scenario), name: `engine ${name}` }) });
      if (res.status !== 201) throw new Error(`POST /api/v1/templates answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
      templateIds[name] = ((await res.json()) as { id: string }).id;
    }
    let workerSeq = 0;

    const startWorkers: EngineStack['startWorkers'] = async (count, env = {}, o = {}) => {
      const children: Child[] = [];
      const probeFiles: string[] = [];
      for (let i = 0; i < count; i++) {
        const label = `engine-worker-${++workerSeq}`;
        const probeFile = join(dataDir, `${label}.loop.json`);
        const nodeArgs = [...profileFlags(ctx.profileDir, label), ...(o.probe ? ['--import', join(REPO_ROOT, 'bench/lib/loop-probe.mjs')] : [])];
        const child = spawnTs('workers/main.ts', label, {
          nodeArgs,
          env: {
            DATABASE_URL: database.url,
            REDIS_URL: ctx.redisUrl,
            QUEUE_PREFIX: prefix,
            SECRET_KEY: secretKey,
            IM_URL: sim.url,
            DATA_DIR: dataDir,
            PROVIDERS_FILE: join(REPO_ROOT, 'providers.example.yaml'),
            WORKER_CONCURRENCY: String(ctx.sizes.workerConcurrency),
            LOG_LEVEL: 'info',
            BENCH_LOOP_FILE: probeFile,
            ...typesEnv,
            ...env,
          },
        });
        ctx.onCleanup(() => child.stop());
        children.push(child);
        probeFiles.push(probeFile);
      }
      await Promise.all(children.map((c) => waitForOutput(c, 'worker started', 60_000)));
      return { pids: children.map((c) => c.pid), probeFiles, stop: async () => void (await Promise.all(children.map((c) => c.stop()))) };
    };

    const submit: EngineStack['submit'] = async (template, count, inFlight = 32) => {
      const body = JSON.stringify({ template_id: templateIds[template], user_group: BENCH_GROUP, template_inputs: { vm_count: 1, admin_password: 'bench-secret' } });
      const ids: string[] = [];
      let next = 0;
      const lane = async () => {
        while (next < count) {
          next++;
          const res = await fetch(`${api.url}/api/v1/deployments`, { method: 'POST', headers, body });
          const text = await res.text();
          if (res.status !== 202) throw new Error(`POST /api/v1/deployments answered ${res.status}: ${text.slice(0, 500)}`);
          ids.push((JSON.parse(text) as { id: string }).id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
      return ids;
    };

    const waitForStatus: EngineStack['waitForStatus'] = async (ids, status, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await sql<Array<{ done: number; failed: number }>>`
          select count(*) filter (where status = ${status})::int as done, count(*) filter (where status = any(${FAILED}))::int as failed
          from deployments where id = any(${ids}::uuid[])`;
        if (row.failed > 0) {
          const [bad] = await sql<Array<{ reason: string | null }>>`select status_reason as reason from deployments where id = any(${ids}::uuid[]) and status = any(${FAILED}) limit 1`;
          throw new Error(`${row.failed} of ${ids.length} deployments failed, e.g.: ${bad?.reason}`);
        }
        if (row.done === ids.length) return;
        if (Date.now() > until) throw new Error(`${ids.length - row.done} of ${ids.length} deployments did not reach status ${status} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const simControl: EngineStack['simControl'] = async (path, body) => {
      const res = await fetch(`${sim.url}/__sim${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`simulator ${path} answered ${res.status}`);
      return res.json();
    };

    return { api, sql, databaseUrl: database.url, databaseName: database.name, prefix, simUrl: sim.url, templateIds, startWorkers, submit, waitForStatus, simControl };
  });
}

/** The latest event-loop/RSS sample a probed worker wrote. */
export function readProbe(file: string): { p50Ms: number; p99Ms: number; maxMs: number; rssMb: number } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
