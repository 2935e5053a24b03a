import type { ParsedTemplate } from '../../tosca/index.js';
import type { ImStateName } from '../types.js';
import type { Scenario } from './scenario.js';

export type VmActionKind = 'start' | 'stop' | 'reboot';

export interface SimVm {
  id: number;
  nodeName: string;
  launchAt: number;
  runningAt: number;
  fails: boolean;
  failMessage?: string;
  removedAt?: number;
  action?: { kind: VmActionKind; at: number; doneAt: number; fromStopped: boolean };
  forced?: { state: ImStateName; at: number };
  instanceId: string;
  privateIp: string;
  publicIp: string;
  cpus: number;
  memBytes: number;
  image: string;
  instanceType?: string;
}

export interface SimContextualization {
  /** When the latest (re)contextualization was requested. */
  requestedAt: number;
  startAt: number;
  endAt: number;
  outcome: 'configured' | 'unconfigured';
  maxTimeReached: boolean;
}

/** One infrastructure; every state is derived from these timestamps at read time. */
export interface SimInfra {
  id: string;
  /** Identity key (IM username + password, or the OIDC-derived pair). */
  owner: string;
  ownerName: string;
  createdAt: number;
  /** Per-infrastructure clock advance (control API). */
  shiftMs: number;
  toscaText: string;
  template: ParsedTemplate;
  inputValues: Record<string, unknown>;
  cloud?: { id: string; type: string; host: string };
  scenario: Scenario;
  vms: SimVm[];
  launchAt: number;
  ctxt: SimContextualization;
  /** Earlier contextualizations, kept so the log only grows. */
  pastCtxts: SimContextualization[];
  /** Creation failed before any VM (no cloud provider): the contextualization flag is false. */
  creationError?: string;
  addingUntil: number;
  deleteWindow?: { from: number; until: number; reverts: boolean };
  deletedAt?: number;
  deleteFailuresLeft: number;
  createToken?: string;
  tokenExpiresAt?: number;
  cloudFailingSince?: number;
  lastRefreshAt: number;
  log: Array<{ at: number; msg: string }>;
}

export function infraTime(infra: SimInfra, simNow: number): number {
  return simNow + infra.shiftMs;
}

export function isDeleted(infra: SimInfra, t: number): boolean {
  return infra.deletedAt !== undefined && t >= infra.deletedAt;
}

export function isDeleting(infra: SimInfra, t: number): boolean {
  const w = infra.deleteWindow;
  return w !== undefined && t >= w.from && t < w.until && !isDeleted(infra, t);
}

export function isRemoved(vm: SimVm, t: number): boolean {
  return vm.removedAt !== undefined && t >= vm.removedAt;
}
