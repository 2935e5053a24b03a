import { and, asc, gt, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { IN_PROGRESS } from '../domain/deployment-status.js';
import type { Database } from './database.js';
import { deployments, resources } from './schema.js';

/** What the reconciler needs to name a deployment's running job. */
export interface RunningDeployment {
  id: string;
  status: number;
  previousStatus: number | null;
  opSeq: number;
}

const running = { id: deployments.id, status: deployments.status, previousStatus: deployments.previousStatus, opSeq: deployments.opSeq };

/** In-progress deployments after `afterId`, in id order: a keyset walk over the partial in-progress index. */
export function inProgressDeployments(db: Database, afterId: string | null, limit: number): Promise<RunningDeployment[]> {
  const where = inArray(deployments.status, [...IN_PROGRESS]);
  return db
    .select(running)
    .from(deployments)
    .where(afterId ? and(where, gt(deployments.id, afterId)) : where)
    .orderBy(asc(deployments.id))
    .limit(limit);
}

/**
 * In-progress deployments past their total deadline, or whose open provider attempt outlived the
 * per-provider timeout: the ones whose worker must look at them now.
 */
export function overdueDeployments(db: Database, now: Date, limit: number): Promise<RunningDeployment[]> {
  return db
    .select(running)
    .from(deployments)
    .where(
      and(
        inArray(deployments.status, [...IN_PROGRESS]),
        or(
          lt(deployments.deadlineAt, now),
          // A raw template sends its parameters untyped: the instant goes as text with an explicit cast.
          sql`exists (
          select 1 from deployment_attempts a
           where a.deployment_id = ${deployments.id} and a.finished_at is null
             and a.started_at + make_interval(mins => coalesce(${deployments.perProviderTimeoutMins}, 1440)) < ${now.toISOString()}::timestamptz)`,
        ),
      ),
    )
    .orderBy(asc(deployments.deadlineAt))
    .limit(limit);
}

export interface RunningResourceAction {
  id: string;
  deploymentId: string;
  action: string;
  actionSeq: number;
}

/** Resources with an action running after `afterId`, in id order. */
export function resourcesWithAction(db: Database, afterId: string | null, limit: number): Promise<RunningResourceAction[]> {
  const where = isNotNull(resources.action);
  return db
    .select({ id: resources.id, deploymentId: resources.deploymentId, action: sql<string>`${resources.action}`, actionSeq: resources.actionSeq })
    .from(resources)
    .where(afterId ? and(where, gt(resources.id, afterId)) : where)
    .orderBy(asc(resources.id))
    .limit(limit);
}
