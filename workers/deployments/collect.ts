import { resourcesOf, syncResources, type ResourceRow } from '../../src/db/deployments-repo.js';
import { RESOURCE_STATUS, resourceStatusOfVmState } from '../../src/domain/resource-status.js';
import { redactOutputs, type ImCallContext, type VmInfo } from '../../src/im/index.js';
import { vmMetadata } from '../../src/services/resources/vm-metadata.js';
import type { Services } from '../../src/services/services.js';

/**
 * Maps the IM's VMs onto the deployment's resources (one row per VM of a compute node, existing rows
 * kept so resource ids stay stable) and returns the outputs.
 */
export async function collectInfrastructure(s: Services, deploymentId: string, ctx: ImCallContext, infId: string): Promise<Record<string, unknown>> {
  const vmIds = await s.im.listVms(ctx, infId);
  const vms = await Promise.all(vmIds.map((v) => s.im.getVmInfo(ctx, infId, v)));
  const outputs = redactOutputs(await s.im.getOutputs(ctx, infId));
  const current = await resourcesOf(s.db, deploymentId);
  const byNode = new Map<string, ResourceRow[]>();
  for (const r of current) byNode.set(r.toscaNodeName, [...(byNode.get(r.toscaNodeName) ?? []), r]);
  const vmsByNode = new Map<string, VmInfo[]>();
  for (const vm of vms) if (vm.nodeName) vmsByNode.set(vm.nodeName, [...(vmsByNode.get(vm.nodeName) ?? []), vm]);
  const keep: Array<Partial<ResourceRow> & { toscaNodeName: string; toscaNodeType: string; status: number }> = [];
  for (const [node, rows] of byNode) {
    const nodeVms = vmsByNode.get(node);
    if (!nodeVms) {
      for (const r of rows) keep.push({ id: r.id, toscaNodeName: node, toscaNodeType: r.toscaNodeType, status: RESOURCE_STATUS.CONFIGURED, imVmIdx: null, metadata: r.metadata });
      continue;
    }
    nodeVms.forEach((vm, i) => {
      const base = rows[i] ?? rows[0];
      keep.push({
        id: rows[i]?.id,
        toscaNodeName: node,
        toscaNodeType: base.toscaNodeType,
        typeAncestry: base.typeAncestry,
        requiredBy: base.requiredBy,
        status: resourceStatusOfVmState(vm.state),
        imVmIdx: Number.isInteger(Number(vm.id)) ? Number(vm.id) : null,
        metadata: vmMetadata(vm),
      });
    });
  }
  await syncResources(s.db, deploymentId, keep);
  return outputs;
}
