import type { ImStateName } from '../types.js';

export interface AggregateInput {
  /** VM states in VM id order. */
  vmStates: readonly ImStateName[];
  /** Infrastructure contextualization flag: undefined while creation is being prepared. */
  ctxtFlag: boolean | undefined;
  deleting: boolean;
}

/** The IM's order-dependent aggregation of VM states into the infrastructure state (contract §4). */
export function aggregateInfraState({ vmStates, ctxtFlag, deleting }: AggregateInput): ImStateName {
  let s: ImStateName | undefined;
  for (const st of vmStates) {
    if (st === 'failed' || st === 'unknown') {
      s = st;
      break;
    }
    if (st === 'pending') s = 'pending';
    else if (st === 'running') {
      if (s !== 'pending') s = 'running';
    } else if (st === 'stopped' || st === 'off' || st === 'configured') {
      if (s === undefined) s = st;
    } else if (st === 'unconfigured') {
      if (s === undefined || s === 'configured') s = 'unconfigured';
    }
  }
  if (s === undefined) {
    if (ctxtFlag === false) s = 'failed';
    else if (vmStates.length === 0 && ctxtFlag === undefined) s = 'pending';
    else s = 'unknown';
  }
  return deleting ? 'deleting' : s;
}
