import type { ParsedTemplate } from '../../tosca/index.js';
import { computeCounts, CLOUD_AUTH_ERROR } from './build-infra.js';
import type { SimInfra, SimVm, VmActionKind } from './model.js';
import { appendVm, liveVmsOf, planCtxt } from './plan.js';
import type { BuildDeps } from './build-infra.js';
import type { SimTimings } from './timings.js';

/** Starts a new contextualization at `t`, keeping the old one for the log. */
export function reconfigure(infra: SimInfra, t: number, timings: SimTimings): void {
  infra.pastCtxts.push(infra.ctxt);
  infra.ctxt = planCtxt(infra, t, timings);
  infra.lastRefreshAt = t;
}

export interface UpdateResult {
  added: SimVm[];
  removed: SimVm[];
}

/** Applies a merged template: removal lists first, then counts that grew (new VMs) or shrank (newest go). */
export function applyUpdate(
  infra: SimInfra,
  update: { template: ParsedTemplate; text: string; removals: Record<string, string[]>; context: boolean; cloudOk: boolean },
  t: number,
  deps: BuildDeps,
): UpdateResult {
  infra.template = update.template;
  infra.toscaText = update.text;
  const removed: SimVm[] = [];
  const added: SimVm[] = [];
  const remove = (vm: SimVm) => {
    vm.removedAt = t;
    removed.push(vm);
  };
  for (const [node, ids] of Object.entries(update.removals)) {
    for (const vm of liveVmsOf(infra, node, t)) if (ids.includes(String(vm.id))) remove(vm);
  }
  const counts = computeCounts(update.template, infra.inputValues, { ...infra.scenario, vmCount: undefined });
  for (const [name, count] of counts) {
    const live = liveVmsOf(infra, name, t);
    for (const vm of live.slice(count).reverse()) remove(vm);
    for (let i = live.length; i < count; i++) {
      const node = update.template.nodeTemplates[name];
      added.push(
        appendVm(
          infra,
          { node, launchAt: t, fails: !update.cloudOk, failMessage: update.cloudOk ? undefined : CLOUD_AUTH_ERROR },
          deps,
        ),
      );
    }
  }
  infra.addingUntil = Math.max(infra.addingUntil, t + (infra.scenario.addingWindowMs ?? 0));
  infra.log.push({ at: t, msg: `Adding ${added.length} and removing ${removed.length} VMs` });
  if (update.context) reconfigure(infra, t, deps.timings);
  return { added, removed };
}

/** Destroys VMs newest first; a failing destroy stops half-way. Returns the VMs it destroys. */
export function vmsToDestroy(live: SimVm[], fails: boolean): SimVm[] {
  const newestFirst = [...live].reverse();
  return fails ? newestFirst.slice(0, Math.floor(live.length / 2)) : newestFirst;
}

export function applyVmAction(vm: SimVm, kind: VmActionKind, t: number, timings: SimTimings, wasStopped: boolean): void {
  vm.forced = undefined;
  vm.action = { kind, at: t, doneAt: t + (kind === 'reboot' ? 0 : timings.vmActionMs), fromStopped: wasStopped };
}
