import { count } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import { deployments } from '../db/schema.js';
import { DEPLOYMENT_STATUS, deploymentStatusName } from '../domain/deployment-status.js';
import { within } from './bounded-collect.js';

type Counts = Map<string, number>;

/**
 * Deployments per status: one grouped count per `cacheMs` however often Prometheus scrapes, every status
 * present (0 when none). The database to ask is bound later, by the route that serves the scrape.
 */
export function deploymentStatusGauge(registry: Registry, o: { cacheMs: number; timeoutMs: number; onError(): void }) {
  let database: Database | undefined;
  let cached: { at: number; counts: Promise<Counts> } | undefined;
  const query = async (db: Database): Promise<Counts> => {
    const rows = await db.select({ status: deployments.status, n: count() }).from(deployments).groupBy(deployments.status);
    const counts: Counts = new Map();
    for (const r of rows) counts.set(deploymentStatusName(r.status), (counts.get(deploymentStatusName(r.status)) ?? 0) + Number(r.n));
    return counts;
  };
  const current = (db: Database): Promise<Counts> => {
    if (!cached || performance.now() - cached.at > o.cacheMs) {
      const counts = within(o.timeoutMs, 'counting deployments by status', query(db));
      // A failed count is not cached: the next scrape asks again.
      const entry = { at: performance.now(), counts };
      counts.catch(() => {
        if (cached === entry) cached = undefined;
      });
      cached = entry;
    }
    return cached.counts;
  };
  new Gauge({
    name: 'orchestrator_deployments',
    help: 'Deployments by status (CREATE_COMPLETE, CREATE_IN_PROGRESS, ...), counted at most every few seconds',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      let counts: Counts | undefined;
      try {
        if (database) counts = await current(database);
      } catch {
        o.onError();
      }
      this.reset();
      if (counts) for (const status of Object.keys(DEPLOYMENT_STATUS)) this.labels(status).set(counts.get(status) ?? 0);
    },
  });
  return {
    use(db: Database) {
      database = db;
    },
  };
}
