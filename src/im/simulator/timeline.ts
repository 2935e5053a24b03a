import type { ImStateName } from '../types.js';
import { aggregateInfraState } from './aggregate-state.js';
import { isDeleting, isRemoved, type SimInfra, type SimVm } from './model.js';
import type { SimTimings } from './timings.js';

export interface VmView {
  vm: SimVm;
  state: ImStateName;
}

export interface InfraView {
  state: ImStateName;
  /** Visible VMs in id order (launched, not removed, not cleaned up). */
  vms: VmView[];
  ctxtFlag: boolean | undefined;
  deleting: boolean;
  allFailed: boolean;
}

function baseState(vm: SimVm, infra: SimInfra, r: number): ImStateName {
  if (r < vm.runningAt) return 'pending';
  if (vm.fails) return 'failed';
  if (infra.scenario.name === 'unknown') return 'unknown';
  if (r < infra.ctxt.endAt) return 'running';
  return infra.ctxt.outcome;
}

/** A VM's state at refresh time `r`. */
export function vmStateAt(vm: SimVm, infra: SimInfra, r: number, timings: SimTimings): ImStateName {
  if (vm.forced && r >= vm.forced.at) return vm.forced.state;
  let s = baseState(vm, infra, r);
  if (s === 'failed' || s === 'pending') return s;
  if (infra.cloudFailingSince !== undefined && r - infra.cloudFailingSince >= timings.unknownGraceMs) return 'unknown';
  const a = vm.action;
  if (a && r >= a.at) {
    if (a.kind === 'stop' && r >= a.doneAt) s = 'stopped';
    else if (a.kind === 'start' && a.fromStopped && r < a.doneAt) s = 'pending';
  }
  return s;
}

/** VMs that exist at `t`: launched and not removed. */
export function liveVms(infra: SimInfra, t: number): SimVm[] {
  return infra.vms.filter((vm) => vm.launchAt <= t && !isRemoved(vm, t));
}

function allFailedAt(vms: SimVm[], r: number): boolean {
  return vms.length > 0 && vms.every((vm) => vm.fails && !vm.forced && r >= vm.runningAt);
}

/**
 * The infrastructure as the IM would report it at time `t`, VM data being the one refreshed at `r`.
 * Pure: no timers; state is derived from the stored timestamps.
 */
export function viewInfra(infra: SimInfra, t: number, r: number, timings: SimTimings): InfraView {
  const deleting = isDeleting(infra, t);
  const live = liveVms(infra, t);
  const allFailed = allFailedAt(live, r);
  const vms: VmView[] = allFailed
    ? []
    : live.map((vm) => ({ vm, state: deleting ? 'deleting' : vmStateAt(vm, infra, r, timings) }));
  let ctxtFlag: boolean | undefined;
  if (infra.creationError !== undefined || allFailed) ctxtFlag = false;
  else if (t < infra.launchAt) ctxtFlag = undefined;
  else if (r >= infra.ctxt.endAt) ctxtFlag = infra.ctxt.outcome === 'configured';
  const state = aggregateInfraState({ vmStates: vms.map((v) => v.state), ctxtFlag, deleting });
  return { state, vms, ctxtFlag, deleting, allFailed };
}

/** Applies the 10-second-style cache: VM data is refreshed only when older than `refreshMs`. */
export function refreshTime(infra: SimInfra, t: number, timings: SimTimings): number {
  if (t - infra.lastRefreshAt >= timings.refreshMs || t < infra.lastRefreshAt) infra.lastRefreshAt = t;
  return infra.lastRefreshAt;
}
