import type { SimTimings } from '../../src/im/simulator/index.js';
import { DEPLOYMENT_STATUS as S } from '../../src/domain/deployment-status.js';
import { singleNodeTemplate } from '../im/templates.js';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { TEST_SECRET_KEY } from '../helpers/test-services.js';
import { auditRun, isClean, type ChaosAudit } from './chaos-audit.js';
import { createChaosDatabase, type ChaosDatabase } from './chaos-database.js';
import { startFleet, type Fleet } from './chaos-fleet.js';
import { addFaults, faultHits, faultRules, startChaosSimulator, type ChaosSimulator } from './chaos-sim.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { submitAll } from './submit.js';

export interface ChaosOptions {
  deployments: number;
  /** Worker processes SIGKILLed (and restarted) while the deployments run. */
  workerKills: number;
  apiProcesses?: number;
  workerProcesses?: number;
  workerConcurrency?: number;
  /** Share of IM calls that meet a fault. */
  faultRate?: number;
  /** Share of deployments whose VMs fail (the `vm-failed` scenario); half of them keep their last attempt. */
  failingShare?: number;
  /** Pause before each chaos event, picked in [min, max]. */
  eventGapMs?: [number, number];
  /** How long everything may take to settle once the chaos is over. */
  drainTimeoutMs?: number;
  reconcileMs?: number;
  lockMs?: number;
  imTimeoutMs?: number;
  timings?: Partial<SimTimings>;
  log?: (line: string) => void;
}

export interface ChaosFigures extends ChaosAudit {
  /** Seconds from the last chaos event until every deployment was final and the audit clean (or the timeout). */
  drainS: number;
  totalS: number;
  workerKills: number;
  redisRestarts: number;
  pgCuts: number;
  pgBackendsCut: number;
  /** Deployments in progress when each chaos event struck. */
  inFlightAtEvents: number[];
  imFaults: number;
  /** API answers that never turned into an accepted deployment despite retries. */
  unsubmitted: number;
  /** Duplicate or undestroyed infrastructures the workers destroyed themselves (from the deployment logs). */
  straysDestroyed: number;
  unexpectedExits: string[];
}

type ChaosEvent = 'kill-worker' | 'restart-redis' | 'cut-postgres';

/** Worker kills spread over the run, Redis lost about a third of the way in and Postgres cut about two thirds in. */
function eventPlan(kills: number): ChaosEvent[] {
  const plan: ChaosEvent[] = Array.from({ length: kills }, () => 'kill-worker');
  plan.splice(Math.round(kills / 3), 0, 'restart-redis');
  plan.splice(Math.round(((kills + 1) * 2) / 3) + 1, 0, 'cut-postgres');
  return plan;
}

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The run's own reads go through the connection cut too: retried until Postgres answers again. */
async function retrying<T>(what: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await what();
    } catch (err) {
      if (i >= 50) throw err;
      await sleep(200);
    }
  }
}

async function inProgress(db: ChaosDatabase): Promise<number> {
  const [row] = await retrying(() => db.sql<Array<{ n: number }>>`select count(*)::int as n from deployments where status = ${S.CREATE_IN_PROGRESS}`);
  return row.n;
}

/**
 * Deploys `deployments` templates through two API processes and three worker processes while worker
 * processes are killed, Redis loses its data, Postgres drops every connection and the IM misbehaves;
 * then waits for everything to settle and compares the database with the IM.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosFigures> {
  const log = o.log ?? (() => {});
  const started = Date.now();
  let redis: PrivateRedis | undefined;
  let db: ChaosDatabase | undefined;
  let issuer: TestIssuer | undefined;
  let sim: ChaosSimulator | undefined;
  let fleet: Fleet | undefined;
  try {
    [redis, db, issuer, sim] = await Promise.all([
      startPrivateRedis(),
      createChaosDatabase(),
      startTestIssuer(),
      startChaosSimulator(o.timings ?? { preparingMs: 200, pendingMs: 400, configureMs: 1500, deleteMs: 200, refreshMs: 0 }),
    ]);
    const reconcileMs = String(o.reconcileMs ?? 400);
    fleet = await startFleet({
      apis: o.apiProcesses ?? 2,
      workers: o.workerProcesses ?? 3,
      env: {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: 'chaos',
        IM_URL: sim.url,
        SECRET_KEY: TEST_SECRET_KEY,
        OIDC_ISSUERS: issuer.issuer,
        IM_TIMEOUT_MS: String(o.imTimeoutMs ?? 2_500),
        IM_POLL_BASE_MS: '100',
        IM_POLL_MAX_MS: '500',
        RATE_LIMIT_READS_PER_MIN: '0',
        RATE_LIMIT_WRITES_PER_MIN: '0',
        RATE_LIMIT_ANON_PER_MIN: '0',
        SHUTDOWN_GRACE_MS: '1000',
        LOG_LEVEL: 'info',
      },
      workerEnv: {
        WORKER_CONCURRENCY: String(o.workerConcurrency ?? 8),
        WORKER_LOCK_MS: String(o.lockMs ?? 1_500),
        RECONCILE_INTERVAL_MS: reconcileMs,
        TIMEOUT_SWEEP_INTERVAL_MS: reconcileMs,
      },
    });
    log(`fleet up after ${((Date.now() - started) / 1000).toFixed(1)} s: ${fleet.apiUrls.length} APIs, ${fleet.workerCount} workers, database ${db.name}, ${redis.url}`);
    await addFaults(sim, faultRules(o.faultRate ?? 0.1, Math.round((o.imTimeoutMs ?? 2_500) * 0.6)));

    const chaosStarted = Date.now();
    const submitting = submitAll({
      apiUrls: fleet.apiUrls,
      token: await issuer.mint('chaos-user', { expiresInSec: 6 * 3600, claims: { groups: ['users'] } }),
      deployments: o.deployments,
      failingShare: o.failingShare ?? 0.1,
      templates: { plain: singleNodeTemplate(), failing: singleNodeTemplate({ count: 2, scenario: 'vm-failed' }) },
    });
    // Awaited after the chaos; a failure meanwhile must not surface as an unhandled rejection.
    submitting.catch(() => undefined);
    const counts = { workerKills: 0, redisRestarts: 0, pgCuts: 0, pgBackendsCut: 0 };
    const inFlightAtEvents: number[] = [];
    const gap = o.eventGapMs ?? [1_000, 3_000];
    // The chaos starts once a tenth of the deployments run, so no event strikes an idle system.
    const warm = Date.now() + 60_000;
    while ((await inProgress(db)) < Math.ceil(o.deployments / 10) && Date.now() < warm) await sleep(100);
    for (const event of eventPlan(o.workerKills)) {
      await sleep(between(gap));
      inFlightAtEvents.push(await inProgress(db));
      if (event === 'kill-worker') {
        const victim = await fleet.killAndRestartWorker(between([0, 1_000]));
        log(`SIGKILLed worker #${victim} (${inFlightAtEvents.at(-1)} in progress)`);
        counts.workerKills++;
      } else if (event === 'restart-redis') {
        log(`restarting Redis empty (${inFlightAtEvents.at(-1)} in progress)`);
        await redis.restartEmpty(between([500, 1_500]));
        counts.redisRestarts++;
      } else {
        counts.pgBackendsCut += await db.cutConnections();
        counts.pgCuts++;
        log(`cut ${counts.pgBackendsCut} Postgres connections (${inFlightAtEvents.at(-1)} in progress)`);
      }
    }
    const submitted = await submitting;
    await fleet.whenRestarted();
    const chaosEnded = Date.now();
    log(`chaos over after ${((chaosEnded - chaosStarted) / 1000).toFixed(1)} s; ${submitted.accepted.length} deployments accepted; draining`);

    // Settled: every deployment final and the IM in agreement (async deletes take a moment to finish).
    const until = chaosEnded + (o.drainTimeoutMs ?? 300_000);
    let audit: ChaosAudit | undefined;
    let reported = Date.now();
    for (;;) {
      // The full audit reads every infrastructure from the simulator, which shares this process: it waits until
      // the deployments are final, so it does not slow the IM while they run.
      const running = await inProgress(db);
      if (running === 0 || Date.now() >= until) {
        audit = await retrying(() => auditRun(db!.sql, sim!));
        if (isClean(audit) || Date.now() >= until) break;
      }
      if (Date.now() - reported > 10_000) {
        reported = Date.now();
        const figures = audit ? ` leaked=${audit.leaked} duplicates=${audit.duplicates} wrong=${audit.wrong} ${audit.examples[0] ?? ''}` : '';
        log(`draining: ${running} in progress${figures}`);
      }
      await sleep(500);
    }
    const drainS = (Date.now() - chaosEnded) / 1000;
    const known = new Set(await retrying(() => db!.sql<Array<{ id: string }>>`select id from deployments`).then((rows) => rows.map((r) => r.id)));
    const vanished = submitted.accepted.filter((id) => !known.has(id));
    const [strays] = await retrying(() => db!.sql<Array<{ n: number }>>`select count(*)::int as n from deployment_logs where line like 'destroyed stray infrastructure %' or line like '%duplicates %; destroying it'`);
    for (const id of vanished.slice(0, 3)) audit.examples.push(`lost: ${id} was accepted but is not in the database`);
    return {
      ...audit,
      lost: audit.lost + vanished.length,
      drainS,
      totalS: (Date.now() - started) / 1000,
      ...counts,
      inFlightAtEvents,
      imFaults: await faultHits(sim),
      unsubmitted: submitted.unsubmitted,
      straysDestroyed: strays.n,
      unexpectedExits: fleet.unexpectedExits(),
    };
  } finally {
    await fleet?.stop();
    await Promise.allSettled([redis?.stop(), sim?.close(), issuer?.close()]);
    await db?.drop();
  }
}

export function figuresLine(f: ChaosFigures): string {
  return `lost=${f.lost} leaked=${f.leaked} duplicates=${f.duplicates} wrong=${f.wrong} drain_s=${f.drainS.toFixed(1)}`;
}
