import { getInputName, visitFunctions } from './functions.js';
import type { IssueCollector, Segment } from './issues.js';
import type { GetInputUse, NodeTemplate } from './types.js';

const ENTITY_KEYWORDS = new Set(['SELF', 'SOURCE', 'TARGET', 'HOST']);

/**
 * Checks intrinsic functions below topology_template: get_input must name a declared input, get_property and
 * get_attribute a node of the topology (or SELF/SOURCE/TARGET/HOST). Returns the get_input uses of
 * node_templates and policies, which input validation evaluates.
 */
export function checkFunctions(
  topology: Record<string, unknown>,
  base: Segment[],
  inputNames: Set<string>,
  nodeNames: Set<string>,
  issues: IssueCollector,
): GetInputUse[] {
  const uses: GetInputUse[] = [];
  for (const section of ['node_templates', 'outputs', 'policies', 'groups']) {
    const value = topology[section];
    if (value === undefined) continue;
    visitFunctions(value, [section], (call, path) => {
      const at = [...base, ...path, call.name];
      if (call.name === 'get_input') {
        const input = getInputName(call.args);
        if (input === undefined) issues.error(at, 'get_input needs the name of an input');
        else if (!inputNames.has(input)) {
          // Policies are placement hints the Java orchestrator never evaluates, so an undeclared input there only warns.
          const report = section === 'policies' ? issues.warn.bind(issues) : issues.error.bind(issues);
          report(at, `get_input refers to ${input}, which is not declared in inputs`);
        }
        else if (section !== 'outputs') uses.push({ input, path });
        return;
      }
      if (call.name === 'get_property' || call.name === 'get_attribute') {
        if (!Array.isArray(call.args) || call.args.length < 2) {
          issues.error(at, `${call.name} needs a list of at least two arguments`);
          return;
        }
        const entity = call.args[0];
        if (typeof entity !== 'string' || (!ENTITY_KEYWORDS.has(entity) && !nodeNames.has(entity))) {
          issues.error(at, `${call.name} refers to ${JSON.stringify(entity)}, which is not a node template of this topology`);
        }
      }
    });
  }
  return uses;
}

/** Rejects requirement cycles (`a` requires `b` requires `a`), naming the loop. */
export function checkDependencyLoops(nodes: Record<string, NodeTemplate>, base: Segment[], issues: IssueCollector): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const req of nodes[name].requirements) {
      const target = req.node;
      if (target === undefined || !Object.hasOwn(nodes, target)) continue;
      const s = state.get(target);
      if (s === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(target)), target];
        const key = [...loop].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          issues.error([...base, target], `dependency loop: ${loop.join(' → ')}`);
        }
      } else if (s === undefined) visit(target);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(nodes)) if (!state.has(name)) visit(name);
}
