/** The step a deployment operation is at (`task` / `task_name`). */
export const DEPLOYMENT_TASK = {
  submitted: 0,
  choosing_provider: 1,
  creating_infrastructure: 2,
  waiting_for_infrastructure: 3,
  collecting_resources: 4,
  cleaning_failed_attempt: 5,
  updating_infrastructure: 6,
  deleting_infrastructure: 7,
  waiting_for_deletion: 8,
  updating_owners: 9,
  done: 10,
} as const;

export type DeploymentTaskName = keyof typeof DEPLOYMENT_TASK;
export type DeploymentTask = (typeof DEPLOYMENT_TASK)[DeploymentTaskName];

const NAMES = Object.fromEntries(Object.entries(DEPLOYMENT_TASK).map(([n, c]) => [c, n])) as Record<number, DeploymentTaskName>;

export function deploymentTaskName(code: number): DeploymentTaskName {
  return NAMES[code] ?? 'submitted';
}
