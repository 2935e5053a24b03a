/** Deterministic job ids (never ":" and never all digits, per BullMQ rules) so duplicates collapse. */
export function deploymentJobId(deploymentId: string, opSeq: number): string {
  return `${deploymentId}.${opSeq}`;
}

export function resourceActionJobId(resourceId: string, actionSeq: number): string {
  return `${resourceId}.a${actionSeq}`;
}

/** The IM log taken once when an operation ends. */
export function finalImSnapshotJobId(deploymentId: string, opSeq: number): string {
  return `${deploymentId}.snap${opSeq}`;
}

/** The callback POST announcing that an operation ended. */
export function callbackJobId(deploymentId: string, opSeq: number): string {
  return `${deploymentId}.cb${opSeq}`;
}
