import type { AttemptRow, DeploymentRow } from '../../db/deployments-repo.js';
import { deploymentStatusName, type DeploymentStatusName } from '../../domain/deployment-status.js';
import { deploymentTaskName, type DeploymentTaskName } from '../../domain/deployment-task.js';
import { MASK } from '../../tosca/index.js';

export interface AttemptView {
  seq: number;
  provider: string;
  region: string | null;
  iaasProject: string | null;
  imInfraId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string | null;
  error: string | null;
}

/** A deployment as callers see it: secrets masked, codes with their names. */
export interface DeploymentView {
  id: string;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  updatedBy: string | null;
  ownedBy: string[];
  templateId: string | null;
  templateInputs: Record<string, unknown>;
  templateOutputs: Record<string, unknown>;
  userGroup: string | null;
  maxProviders: number | null;
  perProviderMaxRetries: number | null;
  perProviderTimeoutMins: number | null;
  totTimeoutMins: number | null;
  keepLastAttempt: boolean;
  targetProvider: string | null;
  targetRegion: string | null;
  targetIaasProject: string | null;
  imInfraId: string | null;
  status: number;
  statusName: DeploymentStatusName;
  statusReason: string | null;
  task: number;
  taskName: DeploymentTaskName;
  /** When the current (or last) operation was submitted; when it reached a final status, null while it runs. */
  startedAt: Date | null;
  finishedAt: Date | null;
  attempts?: AttemptView[];
}

export function maskInputs(inputs: Record<string, unknown>, secretNames: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) out[k] = secretNames.includes(k) && v !== null && v !== undefined ? MASK : v;
  return out;
}

/** The columns a view is made of: a full row, or the narrower single-read row. */
export type DeploymentViewSource = Pick<
  DeploymentRow,
  | 'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'templateId' | 'templateInputs' | 'secretInputs' | 'templateOutputs'
  | 'userGroup' | 'maxProviders' | 'perProviderMaxRetries' | 'perProviderTimeoutMins' | 'totTimeoutMins' | 'keepLastAttempt'
  | 'targetProvider' | 'targetRegion' | 'targetIaasProject' | 'imInfraId' | 'status' | 'statusReason' | 'task'
  | 'startedAt' | 'finishedAt'
>;

export function toDeploymentView(row: DeploymentViewSource, owners: string[], attempts?: AttemptRow[]): DeploymentView {
  return {
    id: row.id,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    ownedBy: owners,
    templateId: row.templateId,
    templateInputs: maskInputs(row.templateInputs as Record<string, unknown>, row.secretInputs),
    templateOutputs: row.templateOutputs as Record<string, unknown>,
    userGroup: row.userGroup,
    maxProviders: row.maxProviders,
    perProviderMaxRetries: row.perProviderMaxRetries,
    perProviderTimeoutMins: row.perProviderTimeoutMins,
    totTimeoutMins: row.totTimeoutMins,
    keepLastAttempt: row.keepLastAttempt,
    targetProvider: row.targetProvider,
    targetRegion: row.targetRegion,
    targetIaasProject: row.targetIaasProject,
    imInfraId: row.imInfraId,
    status: row.status,
    statusName: deploymentStatusName(row.status),
    statusReason: row.statusReason,
    task: row.task,
    taskName: deploymentTaskName(row.task),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    attempts: attempts?.map((a) => ({
      seq: a.seq,
      provider: a.provider,
      region: a.region,
      iaasProject: a.project,
      imInfraId: a.imInfraId,
      startedAt: a.startedAt,
      finishedAt: a.finishedAt,
      outcome: a.outcome,
      error: a.error,
    })),
  };
}
