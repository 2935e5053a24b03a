import type { Database } from '../../db/database.js';
import { deleteLogsOf, readLogs, type LogWindow } from '../../db/logs-repo.js';
import { visibleDeployment, type Caller } from '../deployments/access.js';
import { ForbiddenError } from '../errors.js';

export interface DeploymentLogs {
  /** The newest line's stamp; the deployment's last change when it has no log yet. */
  timestamp: Date;
  imLogs: string | null;
  orchestratorLogs: string | null;
}

/** Orchestrator lines are shown one per line, each after its ISO stamp. */
const formatLine = (l: { ts: Date; line: string }) => `${l.ts.toISOString()} ${l.line}`;

/** A deployment's logs for an owner or an admin (others get 404): the IM log and our own lines. */
export async function getDeploymentLogs(db: Database, caller: Caller, deploymentId: string, window: LogWindow): Promise<DeploymentLogs> {
  const row = await visibleDeployment(db, caller, deploymentId);
  const logs = await readLogs(db, deploymentId, window);
  return {
    timestamp: logs.latestAt ?? row.updatedAt,
    imLogs: logs.im?.line ?? null,
    orchestratorLogs: logs.orchestrator.length ? logs.orchestrator.map(formatLine).join('\n') : null,
  };
}

/** Admins only (owners are told no, others do not learn the deployment exists); new lines start a fresh log. */
export async function deleteDeploymentLogs(db: Database, caller: Caller, deploymentId: string): Promise<number> {
  await visibleDeployment(db, caller, deploymentId);
  if (!caller.identity.isAdmin) throw new ForbiddenError('Only admins may delete deployment logs');
  return deleteLogsOf(db, deploymentId);
}
