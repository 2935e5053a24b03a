import type { ParsedTemplate, RequirementAssignment } from './types.js';

const HOSTED_ON = /(?:^|[.:])HostedOn$/;

function isHostRequirement(req: RequirementAssignment): boolean {
  if (req.name === 'host') return true;
  const rel = typeof req.relationship === 'string' ? req.relationship : req.relationship?.type;
  return rel !== undefined && HOSTED_ON.test(rel);
}

/**
 * The nodes that host `name`, nearest first: its `host` requirement's node (or one whose relationship is
 * HostedOn), that node's host, and so on, usually ending at a Compute node. A loop ends the chain.
 */
export function hostChain(t: ParsedTemplate, name: string): string[] {
  const chain: string[] = [];
  const seen = new Set([name]);
  let current = Object.hasOwn(t.nodeTemplates, name) ? t.nodeTemplates[name] : undefined;
  while (current) {
    const host = current.requirements.find((r) => r.node !== undefined && isHostRequirement(r))?.node;
    if (host === undefined || seen.has(host) || !Object.hasOwn(t.nodeTemplates, host)) break;
    seen.add(host);
    chain.push(host);
    current = t.nodeTemplates[host];
  }
  return chain;
}
