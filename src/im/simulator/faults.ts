import type { FaultRule, SimStore } from './store.js';

export interface FaultDecision {
  rule: FaultRule;
  delayMs: number;
}

function pickDelay(d: FaultRule['delayMs'], random: () => number): number {
  if (d === undefined) return 0;
  if (typeof d === 'number') return d;
  const [min, max] = d;
  return Math.round(min + random() * Math.max(0, max - min));
}

/** The first fault rule that hits this request (consuming one of its `times`), if any. */
export function matchFault(store: SimStore, method: string, path: string, random: () => number): FaultDecision | undefined {
  for (const rule of store.faults) {
    if (rule.times !== undefined && rule.times <= 0) continue;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
    let re: RegExp;
    try {
      re = new RegExp(rule.path);
    } catch {
      continue;
    }
    if (!re.test(path)) continue;
    if (rule.probability !== undefined && random() >= rule.probability) continue;
    if (rule.times !== undefined) rule.times -= 1;
    rule.hits += 1;
    return { rule, delayMs: pickDelay(rule.delayMs, random) };
  }
  return undefined;
}
