const HEADER = `tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
`;

/** One INDIGO compute node with a scalable count and IP/credential/URL outputs. */
export function singleNodeTemplate(opts: { count?: number; scenario?: string } = {}): string {
  const metadata = opts.scenario ? `metadata:\n  im_sim_scenario: "${opts.scenario}"\n` : '';
  return `${HEADER}${metadata}
topology_template:
  inputs:
    vm_count:
      type: integer
      default: ${opts.count ?? 1}
    admin_password:
      type: string
      default: TopSecret-Input-1
  node_templates:
    server:
      type: tosca.nodes.indigo.Compute
      capabilities:
        scalable:
          properties:
            count: { get_input: vm_count }
        endpoint:
          properties:
            network_name: PUBLIC
        host:
          properties:
            num_cpus: 2
            mem_size: 4 GB
        os:
          properties:
            image: ubuntu-22.04
  outputs:
    node_ip:
      value: { get_attribute: [ server, public_address, 0 ] }
    node_ips:
      value: { get_attribute: [ server, public_address ] }
    node_creds:
      value: { get_attribute: [ server, endpoint, credential, 0 ] }
    web_url:
      value: { concat: [ 'http://', get_attribute: [ server, public_address, 0 ], ':8080' ] }
`;
}

/** A front-end and a worker node (the worker scalable), like a small cluster. */
export function clusterTemplate(workers = 2): string {
  return `${HEADER}
topology_template:
  node_templates:
    front:
      type: tosca.nodes.indigo.Compute
      capabilities:
        endpoint:
          properties:
            network_name: PUBLIC
        host:
          properties:
            num_cpus: 1
            mem_size: 2 GB
        os:
          properties:
            image: ubuntu-22.04
    wn:
      type: tosca.nodes.indigo.Compute
      capabilities:
        scalable:
          properties:
            count: ${workers}
        host:
          properties:
            num_cpus: 1
            mem_size: 2 GB
        os:
          properties:
            image: ubuntu-22.04
  outputs:
    front_ip:
      value: { get_attribute: [ front, public_address, 0 ] }
    wn_ips:
      value: { get_attribute: [ wn, private_address ] }
`;
}

/** The update the orchestrator sends to scale the worker node (optionally removing given VM ids). */
export function scaleWorkers(count: number, removalList: string[] = []): string {
  const removal = removalList.length > 0 ? `\n            removal_list: [${removalList.map((id) => `'${id}'`).join(', ')}]` : '';
  return `${HEADER}
topology_template:
  node_templates:
    wn:
      type: tosca.nodes.indigo.Compute
      capabilities:
        scalable:
          properties:
            count: ${count}${removal}
`;
}
