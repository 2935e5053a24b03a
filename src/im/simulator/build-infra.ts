import { deriveResources, type ParsedTemplate } from '../../tosca/index.js';
import type { SimInfra } from './model.js';
import { scalableCount } from './node-specs.js';
import { appendVm, infraTimings, planCtxt } from './plan.js';
import { scenarioDefaults, type Scenario } from './scenario.js';
import type { SimStore } from './store.js';
import type { SimTimings } from './timings.js';

export const QUOTA_ERROR =
  'Error creating the VM: Quota exceeded for instances: Requested 1, but already used 10 of 10 instances';
export const CLOUD_AUTH_ERROR = 'Error creating the VM: The request you have made requires authentication. (HTTP 401)';

export interface BuildRequest {
  id: string;
  owner: string;
  ownerName: string;
  t: number;
  toscaText: string;
  template: ParsedTemplate;
  inputValues: Record<string, unknown>;
  cloud?: { id: string; type: string; host: string };
  cloudCredentialsOk: boolean;
  scenario: Scenario;
  async: boolean;
  createToken?: string;
}

export interface BuildDeps {
  store: SimStore;
  timings: SimTimings;
  newInstanceId: () => string;
}

/** Compute nodes and how many VMs each gets (scenario `vmCount` wins over the template). */
export function computeCounts(template: ParsedTemplate, inputs: Record<string, unknown>, scenario: Scenario): Array<[string, number]> {
  return deriveResources(template)
    .filter((r) => r.isCompute)
    .map((r) => {
      const node = template.nodeTemplates[r.name];
      return [r.name, scenario.vmCount ?? (node ? scalableCount(node, inputs) : undefined) ?? r.count];
    });
}

/** The most VMs one infrastructure may hold; a create asking for more is refused. */
export const MAX_VMS_PER_INFRA = 1_000;

/** How many VMs a create would launch, after the scenario's defaults. */
export function plannedVmCount(template: ParsedTemplate, inputs: Record<string, unknown>, scenario: Scenario): number {
  return computeCounts(template, inputs, scenarioDefaults(scenario)).reduce((n, [, c]) => n + c, 0);
}

/** A new infrastructure whose whole future is planned from the scenario and timings. */
export function buildInfra(req: BuildRequest, deps: BuildDeps): SimInfra {
  const scenario = scenarioDefaults(req.scenario);
  const { preparingMs } = infraTimings(scenario, deps.timings);
  const launchAt = req.async ? req.t + preparingMs : req.t;
  const infra: SimInfra = {
    id: req.id,
    owner: req.owner,
    ownerName: req.ownerName,
    createdAt: req.t,
    shiftMs: 0,
    toscaText: req.toscaText,
    template: req.template,
    inputValues: req.inputValues,
    cloud: req.cloud,
    scenario,
    vms: [],
    launchAt,
    ctxt: { requestedAt: launchAt, startAt: launchAt, endAt: launchAt, outcome: 'configured', maxTimeReached: false },
    pastCtxts: [],
    addingUntil: launchAt,
    deleteFailuresLeft: scenario.deleteFails ?? 0,
    createToken: req.createToken,
    lastRefreshAt: req.t,
    log: [{ at: req.t, msg: `Creating infrastructure ${req.id}` }],
  };
  if (!req.cloud) {
    infra.creationError = 'No cloud provider available';
    return infra;
  }
  const counts = computeCounts(req.template, req.inputValues, scenario);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  const allFail = scenario.name === 'all-failed' || !req.cloudCredentialsOk;
  const failFrom = allFail ? 0 : total - Math.min(total, scenario.failVms ?? 0);
  let index = 0;
  for (const [name, count] of counts) {
    for (let i = 0; i < count; i++, index++) {
      const fails = index >= failFrom;
      appendVm(
        infra,
        {
          node: req.template.nodeTemplates[name],
          launchAt,
          fails,
          failMessage: fails ? (req.cloudCredentialsOk ? QUOTA_ERROR : CLOUD_AUTH_ERROR) : undefined,
        },
        deps,
      );
    }
  }
  infra.ctxt = planCtxt(infra, launchAt, deps.timings);
  const window = scenario.addingWindowMs ?? (scenario.name === 'delete-conflict' ? infra.ctxt.endAt - launchAt : 0);
  infra.addingUntil = launchAt + window;
  if (scenario.name === 'token-expired') {
    infra.tokenExpiresAt =
      req.t + (scenario.tokenExpiresAfterMs ?? Math.round((infra.ctxt.startAt + infra.ctxt.endAt) / 2) - req.t);
  }
  return infra;
}

/** Whether every planned VM fails (a sync create then answers 400 and keeps nothing). */
export function everyVmFails(infra: SimInfra): boolean {
  return infra.vms.length > 0 && infra.vms.every((vm) => vm.fails);
}
