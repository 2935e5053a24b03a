import { DEPLOYMENT_TASK as T, type DeploymentTask } from '../../domain/deployment-task.js';
import type { ProviderRegistry } from '../../domain/provider-registry.js';
import type { DeploymentView } from '../deployments/deployment-view.js';
import type { ResourceView } from '../resources/resource-view.js';

/** `yyyy-MM-dd'T'HH:mmZ` in UTC, seconds dropped: "2024-03-01T09:56+0000". */
export function legacyDate(d: Date): string {
  return `${d.toISOString().slice(0, 16)}+0000`;
}

export type LegacyTask = 'NONE' | 'BROKERING' | 'DEPLOYER';

/** The legacy engine only said NONE (between operations), BROKERING and DEPLOYER (the IM at work). */
const LEGACY_TASK: Record<DeploymentTask, LegacyTask> = {
  [T.submitted]: 'NONE',
  [T.choosing_provider]: 'BROKERING',
  [T.creating_infrastructure]: 'DEPLOYER',
  [T.waiting_for_infrastructure]: 'DEPLOYER',
  [T.collecting_resources]: 'DEPLOYER',
  [T.cleaning_failed_attempt]: 'DEPLOYER',
  [T.updating_infrastructure]: 'DEPLOYER',
  [T.deleting_infrastructure]: 'DEPLOYER',
  [T.waiting_for_deletion]: 'DEPLOYER',
  [T.updating_owners]: 'DEPLOYER',
  [T.done]: 'NONE',
};

export function legacyTask(task: number): LegacyTask {
  return LEGACY_TASK[task as DeploymentTask] ?? 'NONE';
}

export interface LegacyLink {
  rel: string;
  href: string;
}

export interface LegacyCreator {
  issuer: string;
  subject: string;
}

/** What a legacy Deployment is made of: the v1 view plus the legacy-only callback and the creator's identity. */
export interface LegacyDeploymentSource {
  view: DeploymentView;
  callback: string | null;
  creator: LegacyCreator | null;
}

export interface LegacyCloudProviderEndpoint {
  cpEndpoint?: string;
  region?: string;
  deploymentType?: string;
  iaasType?: string;
}

export interface LegacyDeployment {
  uuid: string;
  creationTime: string;
  updateTime: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
  outputs: Record<string, unknown>;
  task: LegacyTask;
  callback?: string;
  userGroup?: string;
  cloudProviderName?: string;
  cloudProviderEndpoint?: LegacyCloudProviderEndpoint;
  createdBy?: LegacyCreator;
  links: LegacyLink[];
}

function cloudProviderEndpoint(v: DeploymentView, providers: ProviderRegistry): LegacyCloudProviderEndpoint | undefined {
  const provider = v.targetProvider === null ? undefined : providers.providers.find((p) => p.name === v.targetProvider);
  const type = provider?.type.toUpperCase();
  const out: LegacyCloudProviderEndpoint = {
    ...(provider ? { cpEndpoint: provider.identity_endpoint } : {}),
    ...(v.targetRegion !== null ? { region: v.targetRegion } : {}),
    ...(type ? { deploymentType: type, iaasType: type } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

/**
 * The legacy Deployment: null properties omitted, never `null`. `base` is the public root the links hang
 * off; without it the links are empty (the callback body).
 */
export function legacyDeployment(src: LegacyDeploymentSource, providers: ProviderRegistry, base?: string): LegacyDeployment {
  const v = src.view;
  const self = `${base}/deployments/${v.id}`;
  const endpoint = cloudProviderEndpoint(v, providers);
  return {
    uuid: v.id,
    creationTime: legacyDate(v.createdAt),
    updateTime: legacyDate(v.updatedAt),
    ...(v.imInfraId !== null ? { physicalId: v.imInfraId } : {}),
    status: v.statusName,
    ...(v.statusReason !== null ? { statusReason: v.statusReason } : {}),
    outputs: v.templateOutputs ?? {},
    task: legacyTask(v.task),
    ...(src.callback ? { callback: src.callback } : {}),
    ...(v.userGroup !== null ? { userGroup: v.userGroup } : {}),
    ...(v.targetProvider !== null ? { cloudProviderName: v.targetProvider } : {}),
    ...(endpoint ? { cloudProviderEndpoint: endpoint } : {}),
    ...(src.creator ? { createdBy: src.creator } : {}),
    links:
      base === undefined
        ? []
        : [
            { rel: 'self', href: self },
            { rel: 'resources', href: `${self}/resources` },
            { rel: 'template', href: `${self}/template` },
          ],
  };
}

export interface LegacyResource {
  uuid: string;
  creationTime: string;
  updateTime: string;
  physicalId?: string;
  state: string;
  toscaNodeType: string;
  toscaNodeName: string;
  requiredBy: string[];
  metadata: Record<string, string>;
  links: LegacyLink[];
}

/** Metadata is a string map: the IM VM info travels as a JSON-encoded string, as the dashboard parses it. */
function stringMap(metadata: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** A configured VM is running: Java called it STARTED, and orchent's vmstop accepts nothing else. */
function legacyState(r: ResourceView): string {
  return r.statusName === 'CONFIGURED' && r.imVmIdx !== null ? 'STARTED' : r.statusName;
}

export function legacyResource(r: ResourceView, base: string): LegacyResource {
  const deployment = `${base}/deployments/${r.deploymentId}`;
  return {
    uuid: r.id,
    creationTime: legacyDate(r.createdAt),
    updateTime: legacyDate(r.updatedAt),
    ...(r.imVmIdx !== null ? { physicalId: String(r.imVmIdx) } : {}),
    state: legacyState(r),
    toscaNodeType: r.toscaNodeType,
    toscaNodeName: r.toscaNodeName,
    requiredBy: r.requiredBy,
    metadata: stringMap(r.metadata),
    links: [
      { rel: 'deployment', href: deployment },
      { rel: 'self', href: `${deployment}/resources/${r.id}` },
    ],
  };
}

/** The IM VM info of each VM of the deployment (`/extrainfo`), `[]` before any infrastructure. */
export function legacyExtraInfo(resources: ResourceView[]): unknown[] {
  return resources.flatMap((r) => {
    const info = r.metadata?.VirtualMachineInfo;
    return info && typeof info === 'object' ? [info] : [];
  });
}
