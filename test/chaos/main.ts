import { parseArgs } from 'node:util';
import { figuresLine, runChaos } from './chaos-run.js';

/** `npm run chaos [-- --deployments N --kills K]`: the full chaos run; exits non-zero unless all four figures are 0. */
const { values } = parseArgs({
  options: {
    deployments: { type: 'string', default: process.env.CHAOS_DEPLOYMENTS ?? '1000' },
    kills: { type: 'string', default: process.env.CHAOS_WORKER_KILLS ?? '8' },
  },
});
const deployments = Number(values.deployments);
const kills = Number(values.kills);
if (!Number.isInteger(deployments) || deployments < 1 || !Number.isInteger(kills) || kills < 0) {
  console.error('usage: npm run chaos -- [--deployments N] [--kills K]');
  process.exit(2);
}

// Exiting runs the cleanup hooks that kill the run's processes and its redis-server.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const log = (s: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
try {
  const f = await runChaos({ deployments, workerKills: kills, eventGapMs: [2_000, 5_000], drainTimeoutMs: Number(process.env.CHAOS_DRAIN_TIMEOUT_MS ?? 600_000), log });
  console.error(
    JSON.stringify({
      deployments: f.deployments,
      byStatus: f.byStatus,
      workerKills: f.workerKills,
      redisRestarts: f.redisRestarts,
      pgCuts: f.pgCuts,
      pgBackendsCut: f.pgBackendsCut,
      inFlightAtEvents: f.inFlightAtEvents,
      imFaults: f.imFaults,
      unsubmitted: f.unsubmitted,
      straysDestroyed: f.straysDestroyed,
      totalS: Math.round(f.totalS),
    }),
  );
  for (const e of f.examples) console.error(e);
  for (const e of f.unexpectedExits) console.error(`unexpected exit: ${e}`);
  console.log(figuresLine(f));
  const ok = f.lost + f.leaked + f.duplicates + f.wrong + f.unsubmitted === 0 && f.unexpectedExits.length === 0;
  process.exit(ok ? 0 : 1);
} catch (err) {
  console.error(err);
  process.exit(1);
}
