/** Deployment status codes and names exactly as the v1 API publishes them. */
export const DEPLOYMENT_STATUS = {
  CREATE_COMPLETE: 0,
  CREATE_FAILED: 1,
  CREATE_IN_PROGRESS: 2,
  DELETE_COMPLETE: 3,
  DELETE_FAILED: 4,
  DELETE_IN_PROGRESS: 5,
  UNKNOWN: 6,
  UPDATE_COMPLETE: 7,
  UPDATE_FAILED: 8,
  UPDATE_IN_PROGRESS: 9,
} as const;

export type DeploymentStatusName = keyof typeof DEPLOYMENT_STATUS;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUS)[DeploymentStatusName];

const NAMES = Object.fromEntries(Object.entries(DEPLOYMENT_STATUS).map(([n, c]) => [c, n])) as Record<number, DeploymentStatusName>;

export const ALL_DEPLOYMENT_STATUSES = Object.values(DEPLOYMENT_STATUS) as DeploymentStatus[];

export function deploymentStatusName(code: number): DeploymentStatusName {
  return NAMES[code] ?? 'UNKNOWN';
}

/** A status given by name (any case) or by code; undefined when it is neither. */
export function parseDeploymentStatus(token: string): DeploymentStatus | undefined {
  const t = token.trim();
  if (/^\d+$/.test(t)) return NAMES[Number(t)] === undefined ? undefined : (Number(t) as DeploymentStatus);
  const upper = t.toUpperCase();
  return Object.hasOwn(DEPLOYMENT_STATUS, upper) ? DEPLOYMENT_STATUS[upper as DeploymentStatusName] : undefined;
}

const S = DEPLOYMENT_STATUS;

/** States in which an operation is running and a worker owns the deployment. */
export const IN_PROGRESS: readonly DeploymentStatus[] = [S.CREATE_IN_PROGRESS, S.UPDATE_IN_PROGRESS, S.DELETE_IN_PROGRESS];

export function isInProgress(status: number): boolean {
  return (IN_PROGRESS as readonly number[]).includes(status);
}

/** A final state: no worker will change it without a new request. */
export function isFinal(status: number): boolean {
  return !isInProgress(status);
}
