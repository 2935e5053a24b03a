/** Resource status codes and names exactly as the v1 API publishes them. */
export const RESOURCE_STATUS = {
  CONFIGURED: 0,
  CONFIGURING: 1,
  CREATED: 2,
  CREATING: 3,
  DELETED: 4,
  DELETING: 5,
  ERROR: 6,
  INITIAL: 7,
  STARTED: 8,
  STARTING: 9,
  STOPPED: 10,
  STOPPING: 11,
} as const;

export type ResourceStatusName = keyof typeof RESOURCE_STATUS;
export type ResourceStatus = (typeof RESOURCE_STATUS)[ResourceStatusName];

const NAMES = Object.fromEntries(Object.entries(RESOURCE_STATUS).map(([n, c]) => [c, n])) as Record<number, ResourceStatusName>;

export function resourceStatusName(code: number): ResourceStatusName {
  return Object.hasOwn(NAMES, code) ? NAMES[code] : 'ERROR';
}

const R = RESOURCE_STATUS;

/** The resource status an IM VM state stands for. */
export const RESOURCE_STATUS_OF_VM_STATE: Record<string, ResourceStatus> = {
  pending: R.CREATING,
  running: R.CONFIGURING,
  configured: R.CONFIGURED,
  unconfigured: R.ERROR,
  stopped: R.STOPPED,
  off: R.STOPPED,
  failed: R.ERROR,
  unknown: R.ERROR,
  deleting: R.DELETING,
};

export function resourceStatusOfVmState(state: string): ResourceStatus {
  return Object.hasOwn(RESOURCE_STATUS_OF_VM_STATE, state) ? RESOURCE_STATUS_OF_VM_STATE[state] : R.ERROR;
}
