/**
 * A large but ordinary INDIGO template: `nodes` node templates, half virtual machines and half
 * applications hosted on them, inputs read with get_input, and one output per machine built
 * with concat + get_attribute.
 */
export function generateTemplate(nodes: number): string {
  const pairs = Math.ceil(nodes / 2);
  const out: string[] = [
    'tosca_definitions_version: tosca_simple_yaml_1_0',
    'imports:',
    '  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml',
    `description: Generated topology with ${nodes} nodes`,
    'metadata:',
    '  display_name: Generated benchmark topology',
    'topology_template:',
    '  inputs:',
    '    num_cpus: { type: integer, default: 2, constraints: [ { valid_values: [ 1, 2, 4, 8 ] } ] }',
    '    mem_size: { type: scalar-unit.size, default: 4 GB }',
    '    os_distribution: { type: string, default: ubuntu }',
    '    os_version: { type: version, default: 22.04 }',
    '    admin_password: { type: string, required: yes, default: changeme }',
    '  node_templates:',
  ];
  for (let i = 0; i < pairs; i++) {
    if (2 * i + 1 < nodes || nodes % 2 === 0) {
      out.push(
        `    app${i}:`,
        '      type: tosca.nodes.indigo.Ambertools',
        '      requirements:',
        `        - host: vm${i}`,
      );
    }
    out.push(
      `    vm${i}:`,
      '      type: tosca.nodes.indigo.Compute',
      '      capabilities:',
      '        endpoint:',
      '          properties:',
      '            network_name: PUBLIC',
      '            ports:',
      '              ssh: { protocol: tcp, source: 22 }',
      '        scalable:',
      '          properties:',
      `            count: ${1 + (i % 3)}`,
      '        host:',
      '          properties:',
      '            num_cpus: { get_input: num_cpus }',
      '            mem_size: { get_input: mem_size }',
      '        os:',
      '          properties:',
      '            type: linux',
      '            distribution: { get_input: os_distribution }',
      '            version: { get_input: os_version }',
    );
  }
  out.push('  outputs:');
  for (let i = 0; i < pairs; i++) {
    out.push(`    vm${i}_url: { value: { concat: [ 'http://', get_attribute: [ vm${i}, public_address, 0 ], ':8080' ] } }`);
  }
  return `${out.join('\n')}\n`;
}
