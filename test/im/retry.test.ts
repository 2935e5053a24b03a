import { describe, expect, it } from 'vitest';
import { ImError } from '../../src/im/errors.js';
import { backoffDelay, withRetry, type RetryPolicy } from '../../src/im/retry.js';

function policy(retries: number) {
  const delays: number[] = [];
  const p: RetryPolicy = {
    retries,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
  };
  return { p, delays };
}

describe('withRetry', () => {
  it('retries retryable failures with growing delays until success', async () => {
    const { p, delays } = policy(3);
    let calls = 0;
    const result = await withRetry(p, async () => {
      calls++;
      if (calls < 3) throw new ImError('busy', { kind: 'unavailable' });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('does not retry a non-retryable failure', async () => {
    const { p } = policy(3);
    let calls = 0;
    await expect(
      withRetry(p, async () => {
        calls++;
        throw new ImError('gone', { kind: 'not_found' });
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(calls).toBe(1);
  });

  it('gives up after the configured retries with the last error', async () => {
    const { p } = policy(2);
    let calls = 0;
    await expect(
      withRetry(p, async () => {
        calls++;
        throw new ImError(`busy ${calls}`, { kind: 'conflict' });
      }),
    ).rejects.toThrow('busy 3');
  });

  it("honours the server's Retry-After hint, capped by the maximum delay", async () => {
    const { p, delays } = policy(1);
    let calls = 0;
    await withRetry(p, async () => {
      if (calls++ === 0) throw new ImError('later', { kind: 'unavailable', retryAfterMs: 60_000 });
      return 1;
    });
    expect(delays).toEqual([1_000]);
  });
});

describe('backoffDelay', () => {
  it('stays between half and all of the capped exponential step', () => {
    const base = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(0, { ...base, random: () => 0 })).toBe(50);
    expect(backoffDelay(2, { ...base, random: () => 1 })).toBe(400);
    expect(backoffDelay(10, { ...base, random: () => 1 })).toBe(1_000);
  });
});
