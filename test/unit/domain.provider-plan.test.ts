import { describe, expect, it } from 'vitest';
import { nextProvider, pollDelayMs, type AttemptHistory } from '../../src/domain/provider-plan.js';
import { ProviderSchema, type ProviderChoice } from '../../src/domain/provider-registry.js';

const choice = (name: string, region = 'r1', priority = 100): ProviderChoice => {
  const provider = ProviderSchema.parse({
    name,
    type: 'openstack',
    priority,
    identity_endpoint: `https://${name}.example.org:5000/v3`,
    regions: [{ name: region }],
    projects: { '*': `${name}-project` },
  });
  return { provider, region: provider.regions[0], project: `${name}-project` };
};

type Attempt = { provider: string; region: string | null };
const at = (c: ProviderChoice): Attempt => ({ provider: c.provider.name, region: c.region.name });
const times = (c: ProviderChoice, n: number): Attempt[] => Array.from({ length: n }, () => at(c));
const label = (c: ProviderChoice | undefined) => (c ? `${c.provider.name}/${c.region.name}` : undefined);

const history = (attempts: Attempt[], perProviderMaxRetries = 3, maxProviders: number | null = null): AttemptHistory => ({
  perProviderMaxRetries,
  maxProviders,
  attempts,
});

/** Drives nextProvider as a worker would, recording each attempt, until it gives up (bounded). */
function plan(ranked: ProviderChoice[], perProviderMaxRetries: number, maxProviders: number | null): string[] {
  const attempts: Attempt[] = [];
  for (let i = 0; i < 100; i++) {
    const next = nextProvider(ranked, history(attempts, perProviderMaxRetries, maxProviders));
    if (!next) return attempts.map((a) => `${a.provider}/${a.region}`);
    attempts.push(at(next));
  }
  throw new Error('nextProvider never gave up');
}

const A = choice('a', 'r1', 1);
const B = choice('b', 'r1', 2);
const C = choice('c', 'r1', 3);
const RANKED = [A, B, C];

describe('nextProvider: first attempt', () => {
  it('returns the best-ranked choice itself (with its project) when nothing has been tried', () => {
    expect(nextProvider(RANKED, history([]))).toBe(A);
    expect(nextProvider(RANKED, history([]))?.project).toBe('a-project');
  });

  it('follows the order it is given, not priority or name', () => {
    expect(nextProvider([C, A, B], history([]))).toBe(C);
  });

  it('returns undefined when there are no candidates', () => {
    expect(nextProvider([], history([]))).toBeUndefined();
    expect(nextProvider([], history([at(A)]))).toBeUndefined();
    expect(nextProvider([], history([], 3, 5))).toBeUndefined();
  });

  it('still offers a first attempt when retries are 0 or 1', () => {
    expect(nextProvider(RANKED, history([], 0))).toBe(A);
    expect(nextProvider(RANKED, history([], 1))).toBe(A);
  });
});

describe('nextProvider: retries on the same provider', () => {
  it('retries the current provider until it has had perProviderMaxRetries attempts', () => {
    expect(nextProvider(RANKED, history(times(A, 1), 3))).toBe(A);
    expect(nextProvider(RANKED, history(times(A, 2), 3))).toBe(A);
    expect(nextProvider(RANKED, history(times(A, 3), 3))).toBe(B);
  });

  it('gives each provider a single attempt when perProviderMaxRetries is 1 (or 0)', () => {
    expect(nextProvider(RANKED, history([at(A)], 1))).toBe(B);
    expect(nextProvider(RANKED, history([at(A)], 0))).toBe(B);
    expect(plan(RANKED, 1, null)).toEqual(['a/r1', 'b/r1', 'c/r1']);
    expect(plan(RANKED, 0, null)).toEqual(['a/r1', 'b/r1', 'c/r1']);
  });

  it('retries the provider it moved to, not the first one', () => {
    const attempts = [...times(A, 2), at(B)];
    expect(nextProvider(RANKED, history(attempts, 2))).toBe(B);
    expect(nextProvider(RANKED, history([...attempts, at(B)], 2))).toBe(C);
  });

  it('keeps retrying the current provider even when the provider budget is spent', () => {
    // Two providers tried, budget of two: B still has retries left, so it is tried again.
    expect(nextProvider(RANKED, history([...times(A, 2), at(B)], 2, 2))).toBe(B);
  });
});

describe('nextProvider: moving on', () => {
  it('moves to the best-ranked untried choice, not merely the one after the current', () => {
    // B was tried first (e.g. requested by the user); A is still untried and ranked better.
    expect(nextProvider(RANKED, history(times(B, 3), 3))).toBe(A);
    expect(nextProvider(RANKED, history([...times(B, 3), ...times(A, 3)], 3))).toBe(C);
  });

  it('never goes back to an exhausted choice', () => {
    expect(nextProvider(RANKED, history([...times(A, 3), ...times(B, 3), ...times(C, 3)], 3))).toBeUndefined();
  });

  it('walks the whole ranking with retries and then gives up', () => {
    expect(plan(RANKED, 2, null)).toEqual(['a/r1', 'a/r1', 'b/r1', 'b/r1', 'c/r1', 'c/r1']);
    expect(plan(RANKED, 3, null)).toHaveLength(9);
  });

  it('treats regions of one provider as separate candidates', () => {
    const a1 = choice('a', 'r1');
    const a2 = choice('a', 'r2');
    expect(nextProvider([a1, a2], history(times(a1, 2), 2))).toBe(a2);
    expect(plan([a1, a2], 2, null)).toEqual(['a/r1', 'a/r1', 'a/r2', 'a/r2']);
  });

  it('skips a last attempt that is no longer a candidate and picks the best untried', () => {
    const gone = { provider: 'gone', region: 'r1' };
    expect(nextProvider(RANKED, history([gone], 3))).toBe(A);
  });

  it('does not modify the ranking or the history it is given', () => {
    const ranked = [A, B, C];
    const attempts = times(A, 3);
    const h = history(attempts, 3, 2);
    const snapshot = JSON.stringify({ ranked, h });
    nextProvider(ranked, h);
    expect(JSON.stringify({ ranked, h })).toBe(snapshot);
  });
});

describe('nextProvider: maxProviders', () => {
  it('stops after maxProviders distinct choices have been exhausted', () => {
    expect(plan(RANKED, 2, 1)).toEqual(['a/r1', 'a/r1']);
    expect(plan(RANKED, 2, 2)).toEqual(['a/r1', 'a/r1', 'b/r1', 'b/r1']);
    expect(nextProvider(RANKED, history([...times(A, 2), ...times(B, 2)], 2, 2))).toBeUndefined();
  });

  it('is no limit when it exceeds the candidates', () => {
    expect(plan(RANKED, 1, 10)).toEqual(['a/r1', 'b/r1', 'c/r1']);
  });

  it('null means unlimited', () => {
    const many = Array.from({ length: 20 }, (_, i) => choice(`p${String(i).padStart(2, '0')}`));
    expect(plan(many, 1, null)).toHaveLength(20);
  });

  it('counts attempts on choices that are no longer candidates against the budget', () => {
    const gone = { provider: 'gone', region: 'r1' };
    expect(nextProvider(RANKED, history([gone], 3, 1))).toBeUndefined();
    expect(nextProvider(RANKED, history([gone], 3, 2))).toBe(A);
  });

  it('counts each (provider, region) pair against the budget, not each provider', () => {
    const a1 = choice('a', 'r1');
    const a2 = choice('a', 'r2');
    expect(plan([a1, a2, B], 1, 2)).toEqual(['a/r1', 'a/r2']);
  });

  it('0 allows no attempt at all', () => {
    expect(nextProvider(RANKED, history([], 3, 0))).toBeUndefined();
  });
});

describe('nextProvider: regions recorded as null', () => {
  it('an attempt without a region is a different choice from any ranked region', () => {
    // Ranked choices always have a region name; an attempt recorded with region null matches none.
    expect(label(nextProvider([A], history([{ provider: 'a', region: null }], 3)))).toBe('a/r1');
  });
});

describe('pollDelayMs', () => {
  it('starts at 2 s, doubles, and caps at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => pollDelayMs(i))).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('never decreases and never exceeds the cap', () => {
    let prev = 0;
    for (let i = 0; i < 200; i++) {
      const d = pollDelayMs(i);
      expect(d).toBeGreaterThanOrEqual(prev);
      expect(d).toBeLessThanOrEqual(30_000);
      prev = d;
    }
  });

  it('stays finite for very large poll counts', () => {
    expect(pollDelayMs(10_000)).toBe(30_000);
    expect(pollDelayMs(Number.MAX_SAFE_INTEGER)).toBe(30_000);
  });

  it('honours a custom base and cap', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => pollDelayMs(i, 100, 1_000))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(pollDelayMs(0, 5_000, 3_000)).toBe(3_000);
  });

  it('stops doubling after ten doublings even under a high cap', () => {
    expect(pollDelayMs(10, 1, 1e9)).toBe(1_024);
    expect(pollDelayMs(50, 1, 1e9)).toBe(1_024);
  });
});
