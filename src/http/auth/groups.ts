/** Reads groups from a claim that may be an array, a comma string, or absent; supports dotted paths. */
export function readGroups(claims: Record<string, unknown>, claimName: string): string[] {
  let value: unknown = claims[claimName];
  if (value === undefined && claimName.includes('.')) {
    value = claimName.split('.').reduce<unknown>((acc, key) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[key] : undefined), claims);
  }
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value === 'string') return value.split(',').map((g) => g.trim()).filter(Boolean);
  return [];
}

/** WLCG-style groups carry a leading slash ("/admins"); both spellings match. */
export function isMemberOfAny(groups: string[], wanted: string[]): boolean {
  const normalized = new Set(groups.map((g) => g.replace(/^\//, '')));
  return wanted.some((w) => normalized.has(w.replace(/^\//, '')));
}
