import { and, asc, desc, eq, gt, inArray, lt, max, sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { deploymentLogs, deployments } from './schema.js';

type Conn = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export type LogSource = 'orchestrator' | 'im';
export interface LogLine {
  ts: Date;
  line: string;
}

/** Deletes at most `batch` log lines older than `cutoff`; returns how many went. */
export async function deleteLogsOlderThan(db: Database, cutoff: Date, batch: number): Promise<number> {
  const old = db.select({ id: deploymentLogs.id }).from(deploymentLogs).where(lt(deploymentLogs.ts, cutoff)).limit(batch);
  const removed = await db.delete(deploymentLogs).where(inArray(deploymentLogs.id, old)).returning({ id: deploymentLogs.id });
  return removed.length;
}

/** Deletes at most `batch` log lines of deployments that reached `status` (deleted) before `cutoff`. */
export async function deleteLogsOfEndedBefore(db: Database, status: number, cutoff: Date, batch: number): Promise<number> {
  const old = db
    .select({ id: deploymentLogs.id })
    .from(deploymentLogs)
    .innerJoin(deployments, eq(deployments.id, deploymentLogs.deploymentId))
    .where(and(eq(deployments.status, status), lt(deployments.updatedAt, cutoff)))
    .limit(batch);
  const removed = await db.delete(deploymentLogs).where(inArray(deploymentLogs.id, old)).returning({ id: deploymentLogs.id });
  return removed.length;
}

/**
 * Claims room for `incoming` lines in one statement: the counter moves on (stopping one past `cap`)
 * and the count before the claim comes back with the secret inputs; undefined when the deployment
 * is gone. Concurrent claims serialise on the row, so each sees the count the previous one left.
 */
export async function claimLogRoom(db: Conn, deploymentId: string, incoming: number, cap: number) {
  const rows = await db.execute<{ before: number; template_inputs: unknown; secret_inputs: string[] }>(sql`
    with old as (select ${deployments.id} as id, ${deployments.logLines} as n from ${deployments} where ${deployments.id} = ${deploymentId} for update)
    update ${deployments} set log_lines = least(old.n + ${incoming}::int, ${cap + 1}::int)
    from old where ${deployments.id} = old.id
    returning old.n as before, ${deployments.templateInputs} as template_inputs, ${deployments.secretInputs} as secret_inputs`);
  const row = (rows as unknown as Array<{ before: number; template_inputs: unknown; secret_inputs: string[] }>)[0];
  return row && { before: row.before, templateInputs: row.template_inputs, secretInputs: row.secret_inputs };
}

/** Secret inputs of a deployment, for redacting text about it. */
export async function secretInputsOf(db: Conn, deploymentId: string) {
  const rows = await db
    .select({ templateInputs: deployments.templateInputs, secretInputs: deployments.secretInputs })
    .from(deployments)
    .where(eq(deployments.id, deploymentId));
  return rows[0];
}

/** One JSON parameter for the whole batch: a row of parameters per line costs more to build than to store. */
export async function insertLogLines(tx: Conn, deploymentId: string, source: LogSource, lines: LogLine[]): Promise<void> {
  if (!lines.length) return;
  const batch = JSON.stringify(lines.map((l) => ({ ts: l.ts.toISOString(), line: l.line })));
  await tx.execute(sql`
    insert into ${deploymentLogs} (deployment_id, source, ts, line)
    select ${deploymentId}::uuid, ${source}, x.ts, x.line from jsonb_to_recordset(${batch}::jsonb) as x(ts timestamptz, line text)`);
}

/** Replaces the stored IM log of a deployment with a newer snapshot, in one statement. */
export async function replaceImLog(db: Database, deploymentId: string, snapshot: LogLine): Promise<void> {
  await db.execute(sql`
    with gone as (delete from ${deploymentLogs} where deployment_id = ${deploymentId}::uuid and source = 'im')
    insert into ${deploymentLogs} (deployment_id, source, ts, line) values (${deploymentId}::uuid, 'im', ${snapshot.ts.toISOString()}::timestamptz, ${snapshot.line})`);
}

export interface LogWindow {
  /** Only lines stamped after this instant. */
  since?: Date;
  /** Only the last N orchestrator lines. */
  tail?: number;
}

/** The orchestrator lines in order (the window applied), the latest IM snapshot and the newest stamp of any line. */
export async function readLogs(db: Database, deploymentId: string, w: LogWindow) {
  const ofDeployment = eq(deploymentLogs.deploymentId, deploymentId);
  const orchestrator = and(ofDeployment, eq(deploymentLogs.source, 'orchestrator'), w.since ? gt(deploymentLogs.ts, w.since) : undefined);
  const columns = { ts: deploymentLogs.ts, line: deploymentLogs.line };
  const linesQuery =
    w.tail === undefined
      ? db.select(columns).from(deploymentLogs).where(orchestrator).orderBy(asc(deploymentLogs.ts), asc(deploymentLogs.id))
      : db.select(columns).from(deploymentLogs).where(orchestrator).orderBy(desc(deploymentLogs.ts), desc(deploymentLogs.id)).limit(w.tail);
  const [lines, im, latest] = await Promise.all([
    linesQuery,
    db
      .select(columns)
      .from(deploymentLogs)
      .where(and(ofDeployment, eq(deploymentLogs.source, 'im')))
      .orderBy(desc(deploymentLogs.ts), desc(deploymentLogs.id))
      .limit(1),
    db.select({ ts: max(deploymentLogs.ts) }).from(deploymentLogs).where(ofDeployment),
  ]);
  return { orchestrator: w.tail === undefined ? lines : lines.reverse(), im: im[0], latestAt: latest[0]?.ts ?? null };
}

/** Removes every log line of a deployment and restarts its counter; answers how many went. */
export async function deleteLogsOf(db: Database, deploymentId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(deploymentLogs).where(eq(deploymentLogs.deploymentId, deploymentId)).returning({ id: deploymentLogs.id });
    await tx.update(deployments).set({ logLines: sql`0` }).where(eq(deployments.id, deploymentId));
    return removed.length;
  });
}
