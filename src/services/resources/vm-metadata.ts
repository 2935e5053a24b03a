import type { VmInfo } from '../../im/index.js';

/** What a resource's metadata holds of its VM: the summary and the IM VM info, secrets masked by the client. */
export function vmMetadata(vm: VmInfo): Record<string, unknown> {
  return {
    vm_id: vm.id,
    state: vm.state,
    public_ips: vm.publicIps,
    private_ips: vm.privateIps,
    ...(vm.instanceId ? { instance_id: vm.instanceId } : {}),
    VirtualMachineInfo: { vmProperties: vm.raw },
  };
}
