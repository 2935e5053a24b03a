import type { ResourceRow } from '../../db/resources-repo.js';
import { resourceStatusName, type ResourceStatusName } from '../../domain/resource-status.js';
import { redactRadlJson } from '../../im/index.js';

/** What a read shows of a resource: metadata masked again on the way out, whoever wrote it. */
export interface ResourceView {
  id: string;
  deploymentId: string;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  updatedBy: string | null;
  imVmIdx: number | null;
  status: number;
  statusName: ResourceStatusName;
  statusReason: string | null;
  action: string | null;
  toscaNodeType: string;
  toscaNodeName: string;
  requiredBy: string[];
  metadata: Record<string, unknown> | null;
}

/** `submittedBy` (the deployment's creator) stands in for resources the create request made. */
export function toResourceView(r: ResourceRow, submittedBy: string | null = null): ResourceView {
  const createdBy = r.createdBy ?? submittedBy;
  const meta = r.metadata && typeof r.metadata === 'object' && !Array.isArray(r.metadata) && Object.keys(r.metadata).length ? (r.metadata as Record<string, unknown>) : null;
  return {
    id: r.id,
    deploymentId: r.deploymentId,
    createdAt: r.createdAt,
    createdBy,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy ?? createdBy,
    imVmIdx: r.imVmIdx,
    status: r.status,
    statusName: resourceStatusName(r.status),
    statusReason: r.statusReason,
    action: r.action,
    toscaNodeType: r.toscaNodeType,
    toscaNodeName: r.toscaNodeName,
    requiredBy: r.requiredBy,
    metadata: meta && redactRadlJson(meta),
  };
}
