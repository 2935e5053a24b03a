/** True when `value` nests arrays or objects more than `max` levels deep; never looks past level `max`, so a hostile depth cannot overflow the stack here. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max <= 0) return true;
  return (Array.isArray(value) ? value : Object.values(value)).some((v) => nestsDeeperThan(v, max - 1));
}
