import type { DeploymentType, ParsedTemplate } from './types.js';

const BY_NODE_TYPE: Record<string, DeploymentType> = {
  'tosca.nodes.indigo.Container.Application.Docker.Chronos': 'CHRONOS',
  'tosca.nodes.indigo.Container.Application.Docker.Marathon': 'MARATHON',
  'tosca.nodes.indigo.Qcg.Job': 'QCG',
  'tosca.nodes.indigo.Kubernetes.HelmChart': 'KUBERNETES_HELM_CHART',
};

/** The first node (document order) whose type is exactly one of the special types decides; otherwise TOSCA (IM). */
export function deploymentType(t: ParsedTemplate): DeploymentType {
  for (const node of Object.values(t.nodeTemplates)) {
    const special = BY_NODE_TYPE[node.type];
    if (special) return special;
  }
  return 'TOSCA';
}
