import { DEPLOYMENT_STATUS as S, deploymentStatusName, type DeploymentStatus, type DeploymentStatusName } from './deployment-status.js';

/** Requests a user can make on an existing deployment. */
export type DeploymentRequest = 'update' | 'change-group' | 'owners' | 'delete' | 'reset-status';

const ALL = Object.values(S) as DeploymentStatus[];
const except = (...out: DeploymentStatus[]) => ALL.filter((s) => !out.includes(s));

/** Which request is allowed from which status (the v1 state table). */
export const ALLOWED_FROM: Record<DeploymentRequest, readonly DeploymentStatus[]> = {
  update: except(S.CREATE_IN_PROGRESS, S.UPDATE_IN_PROGRESS, S.DELETE_IN_PROGRESS, S.DELETE_COMPLETE),
  'change-group': except(S.CREATE_IN_PROGRESS, S.UPDATE_IN_PROGRESS, S.DELETE_IN_PROGRESS, S.DELETE_COMPLETE),
  owners: [S.CREATE_COMPLETE, S.UPDATE_COMPLETE],
  delete: except(S.DELETE_COMPLETE),
  'reset-status': [S.CREATE_IN_PROGRESS, S.UPDATE_IN_PROGRESS, S.DELETE_IN_PROGRESS],
};

/** The status a reset moves an in-progress deployment to. */
export const RESET_TARGET: Partial<Record<DeploymentStatus, DeploymentStatus>> = {
  [S.CREATE_IN_PROGRESS]: S.CREATE_FAILED,
  [S.UPDATE_IN_PROGRESS]: S.UPDATE_FAILED,
  [S.DELETE_IN_PROGRESS]: S.DELETE_FAILED,
};

export type RuleVerdict = { ok: true } | { ok: false; current: DeploymentStatusName; allowed: DeploymentStatusName[] };

export function checkRequest(request: DeploymentRequest, status: number): RuleVerdict {
  const allowed = ALLOWED_FROM[request];
  if ((allowed as readonly number[]).includes(status)) return { ok: true };
  return { ok: false, current: deploymentStatusName(status), allowed: allowed.map(deploymentStatusName) };
}

/** What an operation's worker job is called, by the in-progress status it runs under. */
export type OperationKind = 'create' | 'update' | 'delete' | 'owners';

/** The final status of each operation. */
export const OPERATION_OUTCOME: Record<'create' | 'update' | 'delete', { inProgress: DeploymentStatus; complete: DeploymentStatus; failed: DeploymentStatus }> = {
  create: { inProgress: S.CREATE_IN_PROGRESS, complete: S.CREATE_COMPLETE, failed: S.CREATE_FAILED },
  update: { inProgress: S.UPDATE_IN_PROGRESS, complete: S.UPDATE_COMPLETE, failed: S.UPDATE_FAILED },
  delete: { inProgress: S.DELETE_IN_PROGRESS, complete: S.DELETE_COMPLETE, failed: S.DELETE_FAILED },
};

/**
 * The operation whose job drives a deployment in this status, undefined when none should run. An
 * owners change runs under UPDATE_IN_PROGRESS too, remembering the status to go back to.
 */
export function runningOperation(status: number, previousStatus: number | null): OperationKind | undefined {
  if (status === S.CREATE_IN_PROGRESS) return 'create';
  if (status === S.DELETE_IN_PROGRESS) return 'delete';
  if (status === S.UPDATE_IN_PROGRESS) return previousStatus === null ? 'update' : 'owners';
  return undefined;
}
