import fc from 'fast-check';
import { singleNodeTemplate } from '../im/templates.js';
import { DEEP, hostileString } from './hostile-values.js';

const HEADER = 'tosca_definitions_version: tosca_simple_yaml_1_0\n';

/** Nine levels of nine aliases each: 9^9 nodes once expanded. */
function billionLaughs(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
  return `${HEADER}metadata:\n  bomb:\n${lines.map((l) => `    ${l}`).join('\n')}\ntopology_template:\n  node_templates: {}\n`;
}

/** TOSCA a parser must refuse (or survive) without falling over. */
export const FIXED_BAD_TEMPLATES: string[] = [
  '',
  '   \n',
  '{',
  ':::',
  '- just\n- a\n- list\n',
  'plain scalar',
  'tosca_definitions_version: tosca_simple_yaml_9_9\ntopology_template: {}\n',
  `${HEADER}topology_template: []\n`,
  `${HEADER}topology_template:\n  node_templates:\n    vm:\n      type: does.not.Exist\n`,
  `${HEADER}topology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.Compute\n      requirements:\n        - host: nowhere\n`,
  `${HEADER}topology_template:\n  inputs:\n    n: { type: integer, default: "many" }\n  node_templates: {}\n`,
  `${HEADER}topology_template:\n  outputs:\n    x: { value: { get_attribute: [ missing, ip ] } }\n`,
  `${HEADER}imports:\n  - evil: file:///etc/passwd\n  - http://169.254.169.254/latest/meta-data\ntopology_template: {}\n`,
  `${HEADER}metadata: !!js/function "function () { return 1 }"\n`,
  `${HEADER}metadata: !!python/object/apply:os.system ["id"]\n`,
  `${HEADER}metadata: !!binary AAAA\n`,
  `${HEADER}metadata: &self { loop: *self }\n`,
  `${HEADER}metadata:\n  <<: *nowhere\n`,
  billionLaughs(),
  `${HEADER}metadata:\n  deep: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`,
  `${HEADER}metadata:\n  deep: ${'{a: '.repeat(2_000)}1${'}'.repeat(2_000)}\n`,
  `${HEADER}---\n${HEADER}---\n`,
  `${HEADER}metadata:\n  template_name: "a\u0000b"\ntopology_template: {}\n`,
  `${HEADER}metadata:\n  template_name: "\\ud800"\ntopology_template: {}\n`,
  `${HEADER}topology_template:\n  inputs:\n    p: { type: string, default: "\\ud800" }\n    q: { type: string, default: "\\0" }\n  node_templates: {}\n`,
  `${HEADER}topology_template:\n  inputs:\n    n: { type: integer, default: 1e309 }\n    m: { type: float, default: .nan }\n    k: { type: integer, default: 9007199254740993 }\n  node_templates: {}\n`,
  `${HEADER}topology_template:\n  inputs:\n    p: { type: string, constraints: [ { pattern: "(a+)+$" } ] }\n  node_templates: {}\n`,
  singleNodeTemplate().replace('tosca.nodes.indigo.Compute', "tosca.nodes.indigo.Compute' or 1=1 --"),
];

/** A valid template with a hostile string spliced in somewhere, quoted or not. */
const spliced = fc.tuple(hostileString, fc.constantFrom('image: ubuntu-22.04', 'default: TopSecret-Input-1', 'num_cpus: 2', 'network_name: PUBLIC')).map(
  ([s, where]) => singleNodeTemplate().replace(where, `${where.split(':')[0]}: ${s}`),
);

export const hostileTemplate: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...FIXED_BAD_TEMPLATES), spliced, hostileString);
