import { DEPLOYMENT_STATUS as D } from './deployment-status.js';
import { RESOURCE_STATUS as R, resourceStatusName, type ResourceStatus, type ResourceStatusName } from './resource-status.js';

/** VM actions a user can run on a compute resource. */
export type ResourceAction = 'start' | 'stop' | 'reboot';
/** Every request on a resource: the VM actions and the forced reset. */
export type ResourceRequest = ResourceAction | 'reset-status';

export const RESOURCE_ACTIONS: readonly ResourceAction[] = ['start', 'stop', 'reboot'];

/** The TOSCA type a resource must derive from to be a VM the IM can act on. */
export const COMPUTE_TYPE = 'tosca.nodes.Compute';

const ALL = Object.values(R) as ResourceStatus[];

/** Which request is allowed from which resource status (the v1 spec's table). */
export const RESOURCE_ALLOWED_FROM: Record<ResourceRequest, readonly ResourceStatus[]> = {
  start: [R.CONFIGURED, R.STOPPED, R.STARTED],
  stop: [R.CONFIGURED, R.STOPPED, R.STARTED],
  reboot: [R.STARTED],
  'reset-status': ALL,
};

/** What each action goes through, where it ends, and the IM VM state that means it is done. */
export const RESOURCE_ACTION_PLAN: Record<ResourceAction, { inProgress: ResourceStatus; done: ResourceStatus; vmStates: readonly string[] }> = {
  start: { inProgress: R.STARTING, done: R.STARTED, vmStates: ['configured'] },
  stop: { inProgress: R.STOPPING, done: R.STOPPED, vmStates: ['stopped', 'off'] },
  reboot: { inProgress: R.STARTING, done: R.STARTED, vmStates: ['configured'] },
};

/** IM VM states that end an action in ERROR whatever the target. */
export const FAILED_VM_STATES: readonly string[] = ['failed', 'unconfigured', 'deleting'];

/** Polls of the VM before an action that never reaches its target state ends in ERROR. */
export const MAX_ACTION_POLLS = 40;

/** Deployment statuses in which no resource request is accepted. */
export const DEPLOYMENT_BLOCKS_RESOURCE_REQUESTS: readonly number[] = [D.DELETE_IN_PROGRESS, D.DELETE_COMPLETE];

export type ResourceVerdict = { ok: true } | { ok: false; current: ResourceStatusName; allowed: ResourceStatusName[] };

export function checkResourceRequest(request: ResourceRequest, status: number): ResourceVerdict {
  const allowed = RESOURCE_ALLOWED_FROM[request];
  if ((allowed as readonly number[]).includes(status)) return { ok: true };
  return { ok: false, current: resourceStatusName(status), allowed: allowed.map(resourceStatusName) };
}

/** Whether the IM can act on the resource: a compute node already bound to a VM. */
export function isActionable(r: { typeAncestry: readonly string[]; toscaNodeType: string; imVmIdx: number | null }): boolean {
  return r.imVmIdx !== null && (r.toscaNodeType === COMPUTE_TYPE || r.typeAncestry.includes(COMPUTE_TYPE));
}

export type VmVerdict = { kind: 'done'; status: ResourceStatus } | { kind: 'failed'; reason: string } | { kind: 'wait' };

/** What an observed VM state means for a running action. */
export function judgeVmState(action: ResourceAction, vmState: string, pollCount: number): VmVerdict {
  const plan = RESOURCE_ACTION_PLAN[action];
  if (plan.vmStates.includes(vmState)) return { kind: 'done', status: plan.done };
  if (FAILED_VM_STATES.includes(vmState)) return { kind: 'failed', reason: `the IM reports the VM ${vmState} after ${action}` };
  if (pollCount + 1 >= MAX_ACTION_POLLS) return { kind: 'failed', reason: `the VM did not reach ${plan.vmStates.join('/')} after ${action} (last state ${vmState})` };
  return { kind: 'wait' };
}

/** A resource status given by name (any case) or by code; undefined when it is neither. */
export function parseResourceStatus(token: string): ResourceStatus | undefined {
  const t = token.trim();
  if (/^\d+$/.test(t)) return (ALL as number[]).includes(Number(t)) ? (Number(t) as ResourceStatus) : undefined;
  const upper = t.toUpperCase();
  return Object.hasOwn(R, upper) ? R[upper as ResourceStatusName] : undefined;
}
