/** What an append of `incoming` lines does to a deployment log holding `stored` lines, capped at `cap`. */
export interface AppendPlan {
  /** How many of the incoming lines (from the first) are stored. */
  keep: number;
  /** Whether this append crosses the cap: it stores the one truncation marker. */
  marker: boolean;
  /** The new line count; it stops one past the cap, so a crossing happens exactly once. */
  stored: number;
}

export const truncationMarker = (cap: number) => `[log truncated: this deployment reached its limit of ${cap} orchestrator log lines; later lines are dropped]`;

export function planAppend(stored: number, incoming: number, cap: number): AppendPlan {
  const room = Math.max(0, cap - stored);
  const keep = Math.min(incoming, room);
  const marker = stored <= cap && stored + incoming > cap;
  return { keep, marker, stored: Math.min(stored + incoming, cap + 1) };
}
