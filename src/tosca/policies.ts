import type { ParsedTemplate } from './types.js';

export const SLA_PLACEMENT = 'tosca.policies.indigo.SlaPlacement';

export interface SlaPlacement {
  policy: string;
  slaId: string;
  targets: string[];
}

/** Placement policies the orchestrator honours: only type SlaPlacement exactly, with an sla_id. */
export function slaPlacements(t: ParsedTemplate): SlaPlacement[] {
  return t.policies
    .filter((p) => p.type === SLA_PLACEMENT && (typeof p.properties.sla_id === 'string' || typeof p.properties.sla_id === 'number'))
    .map((p) => ({ policy: p.name, slaId: String(p.properties.sla_id), targets: p.targets }));
}
