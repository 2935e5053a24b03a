import type { NodeTemplate } from '../../tosca/index.js';
import { isRemoved, type SimContextualization, type SimInfra, type SimVm } from './model.js';
import { vmSpec } from './node-specs.js';
import type { Scenario } from './scenario.js';
import { allocateIps, type SimStore } from './store.js';
import type { SimTimings } from './timings.js';

export interface InfraTimings {
  preparingMs: number;
  pendingMs: number;
  ctxtMs: number;
}

export function infraTimings(scenario: Scenario, timings: SimTimings): InfraTimings {
  return {
    preparingMs: scenario.preparingMs ?? timings.preparingMs,
    pendingMs: scenario.pendingMs ?? timings.pendingMs,
    ctxtMs: scenario.ctxtMs ?? timings.configureMs,
  };
}

/** Per-VM boot time spread (up to +45 %) so VMs do not all flip at once. */
function bootMs(vmId: number, pendingMs: number): number {
  return Math.round(pendingMs * (1 + ((vmId * 37) % 10) / 20));
}

export interface NewVmRequest {
  node: NodeTemplate;
  launchAt: number;
  fails: boolean;
  failMessage?: string;
}

/** Appends a VM with the next never-reused id. */
export function appendVm(
  infra: SimInfra,
  req: NewVmRequest,
  deps: { store: SimStore; timings: SimTimings; newInstanceId: () => string },
): SimVm {
  const id = infra.vms.length;
  const spec = vmSpec(req.node, infra.inputValues, infra.cloud?.host ?? '');
  const vm: SimVm = {
    id,
    nodeName: req.node.name,
    launchAt: req.launchAt,
    runningAt: req.launchAt + bootMs(id, infraTimings(infra.scenario, deps.timings).pendingMs),
    fails: req.fails,
    failMessage: req.failMessage,
    instanceId: deps.newInstanceId(),
    ...allocateIps(deps.store),
    ...spec,
  };
  infra.vms.push(vm);
  return vm;
}

/** Schedules a (re)contextualization requested at `requestedAt`, after every healthy VM is running. */
export function planCtxt(infra: SimInfra, requestedAt: number, timings: SimTimings): SimContextualization {
  const healthy = infra.vms.filter((vm) => !vm.fails && vm.removedAt === undefined);
  const startAt = Math.max(requestedAt, infra.launchAt, ...healthy.map((vm) => vm.runningAt));
  const { ctxtMs } = infraTimings(infra.scenario, timings);
  const stuck = infra.scenario.name === 'stuck-running';
  const maxTimeReached = stuck || ctxtMs >= timings.maxCtxtMs;
  return {
    requestedAt,
    startAt,
    endAt: startAt + (maxTimeReached ? timings.maxCtxtMs : ctxtMs),
    outcome: maxTimeReached || infra.scenario.name === 'unconfigured' ? 'unconfigured' : 'configured',
    maxTimeReached,
  };
}

/** Ids of live VMs of one node, oldest first. */
export function liveVmsOf(infra: SimInfra, nodeName: string, t: number): SimVm[] {
  return infra.vms.filter((vm) => vm.nodeName === nodeName && !isRemoved(vm, t));
}
