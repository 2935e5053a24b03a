import { describe, expect, it } from 'vitest';
import { figuresLine, runChaos } from './chaos-run.js';

describe('deployments under chaos (a reduced `npm run chaos`)', () => {
  it('all end final with one infrastructure each while workers die, Redis loses its data, Postgres drops connections and the IM misbehaves', async () => {
    const f = await runChaos({
      deployments: 60,
      workerKills: 2,
      eventGapMs: [800, 1_500],
      drainTimeoutMs: 45_000,
      // Slow enough contextualization that every chaos event strikes while deployments are running.
      timings: { preparingMs: 200, pendingMs: 400, configureMs: 6_000, deleteMs: 200, refreshMs: 0 },
    });
    console.info(`${figuresLine(f)} ${JSON.stringify({ byStatus: f.byStatus, inFlightAtEvents: f.inFlightAtEvents, imFaults: f.imFaults, straysDestroyed: f.straysDestroyed })}`);

    // The chaos happened, and while deployments were running.
    expect({ kills: f.workerKills, redis: f.redisRestarts, pg: f.pgCuts }).toEqual({ kills: 2, redis: 1, pg: 1 });
    expect(f.pgBackendsCut).toBeGreaterThan(0);
    expect(f.inFlightAtEvents.every((n) => n > 0), `in progress at each event: ${f.inFlightAtEvents}`).toBe(true);
    expect(f.imFaults).toBeGreaterThan(0);
    expect(f.deployments).toBe(60);
    expect(f.unsubmitted).toBe(0);
    // Some deployments fail (their VMs do), the rest complete.
    expect(f.byStatus.CREATE_FAILED ?? 0).toBeGreaterThan(0);
    expect(f.byStatus.CREATE_COMPLETE ?? 0).toBeGreaterThan(0);

    expect({ lost: f.lost, leaked: f.leaked, duplicates: f.duplicates, wrong: f.wrong }, f.examples.join('\n')).toEqual({ lost: 0, leaked: 0, duplicates: 0, wrong: 0 });
    expect(f.unexpectedExits).toEqual([]);
  }, 150_000);
});
