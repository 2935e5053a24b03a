import type { ProviderChoice } from './provider-registry.js';

/** What the deployment allows and what it has tried so far. */
export interface AttemptHistory {
  perProviderMaxRetries: number;
  maxProviders: number | null;
  /** Provider/region of every attempt made, in order. */
  attempts: ReadonlyArray<{ provider: string; region: string | null }>;
}

const key = (provider: string, region: string | null | undefined) => `${provider}/${region ?? ''}`;

/**
 * The next (provider, region) to try: the current candidate again while it has retries left,
 * else the best-ranked untried one while the provider budget allows; undefined when exhausted.
 */
export function nextProvider(ranked: readonly ProviderChoice[], h: AttemptHistory): ProviderChoice | undefined {
  const counts = new Map<string, number>();
  for (const a of h.attempts) counts.set(key(a.provider, a.region), (counts.get(key(a.provider, a.region)) ?? 0) + 1);
  const last = h.attempts.at(-1);
  if (last) {
    const current = ranked.find((c) => key(c.provider.name, c.region.name) === key(last.provider, last.region));
    if (current && (counts.get(key(last.provider, last.region)) ?? 0) < h.perProviderMaxRetries) return current;
  }
  if (h.maxProviders !== null && counts.size >= h.maxProviders) return undefined;
  return ranked.find((c) => !counts.has(key(c.provider.name, c.region.name)));
}

/** The wait before the n-th poll of the IM (0-based): 2 s doubling to 30 s. */
export function pollDelayMs(pollIndex: number, baseMs = 2_000, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(pollIndex, 10));
}
