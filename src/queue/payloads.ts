import { z } from 'zod';

const DeploymentId = z.uuid();

/** Job payloads carry ids and the operation only: processors re-read Postgres for state. */
export const DeploymentJob = z.object({
  v: z.literal(1),
  deploymentId: DeploymentId,
  opSeq: z.number().int().min(1),
});
export type DeploymentJob = z.infer<typeof DeploymentJob>;
export const DEPLOYMENT_JOB_NAMES = ['create', 'update', 'delete', 'owners'] as const;
export type DeploymentJobName = (typeof DEPLOYMENT_JOB_NAMES)[number];

export const ResourceActionJob = z.object({
  v: z.literal(1),
  deploymentId: DeploymentId,
  resourceId: z.uuid(),
  actionSeq: z.number().int().min(1),
});
export type ResourceActionJob = z.infer<typeof ResourceActionJob>;
export const RESOURCE_ACTION_NAMES = ['start', 'stop', 'reboot'] as const;
export type ResourceActionName = (typeof RESOURCE_ACTION_NAMES)[number];

export const LogAppendJob = z.object({
  v: z.literal(1),
  deploymentId: DeploymentId,
  lines: z.array(z.object({ ts: z.string(), line: z.string() })).min(1).max(500),
});
export type LogAppendJob = z.infer<typeof LogAppendJob>;

export const ImSnapshotJob = z.object({ v: z.literal(1), deploymentId: DeploymentId });
export type ImSnapshotJob = z.infer<typeof ImSnapshotJob>;

export const MaintenanceJob = z.object({ v: z.literal(1) });
export type MaintenanceJob = z.infer<typeof MaintenanceJob>;

/** Schema per (queue, job name): a payload failing it is unrecoverable. */
export const PAYLOAD_SCHEMAS = {
  deployments: { create: DeploymentJob, update: DeploymentJob, delete: DeploymentJob, owners: DeploymentJob, callback: DeploymentJob },
  'resource-actions': { start: ResourceActionJob, stop: ResourceActionJob, reboot: ResourceActionJob },
  'log-ingest': { append: LogAppendJob, 'im-snapshot': ImSnapshotJob },
  maintenance: { 'timeout-sweep': MaintenanceJob, reconcile: MaintenanceJob, 'log-cleanup': MaintenanceJob },
} as const;
