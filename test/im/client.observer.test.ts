import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImClient } from '../../src/im/client.js';
import type { ImAttempt } from '../../src/im/types.js';
import { freePort } from '../../src/node/free-port.js';
import { ctx, startHarness, type SimHarness } from './fixtures.js';
import { singleNodeTemplate } from './templates.js';

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.sim.close();
});

const recording = () => {
  const seen: ImAttempt[] = [];
  return { seen, observer: { attemptEnded: (a: ImAttempt) => void seen.push(a) } };
};

describe('the IM client observer', () => {
  it('hears of every request with its operation, duration and, on failure, the error kind', async () => {
    const { seen, observer } = recording();
    const client = h.clientWith({ observer });
    const { infId } = await client.createInfrastructure(ctx(), singleNodeTemplate());
    await client.getState(ctx(), infId);
    await expect(client.getState(ctx(), 'no-such-infrastructure')).rejects.toMatchObject({ kind: 'not_found' });
    expect(seen.map((a) => [a.operation, a.errorKind])).toEqual([
      ['createInfrastructure', undefined],
      ['getState', undefined],
      ['getState', 'not_found'],
    ]);
    for (const a of seen) expect(a.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('hears of each retry of an IM that cannot be reached', async () => {
    const { seen, observer } = recording();
    const client = createImClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      credentials: { username: 'u', password: 'p' },
      retries: 2,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 2,
      observer,
    });
    await expect(client.getVersion()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(seen.map((a) => [a.operation, a.errorKind])).toEqual([
      ['getVersion', 'unavailable'],
      ['getVersion', 'unavailable'],
      ['getVersion', 'unavailable'],
    ]);
  });

  it('does not let a failing observer break a call', async () => {
    const client = h.clientWith({
      observer: {
        attemptEnded() {
          throw new Error('metrics backend exploded');
        },
      },
    });
    expect(await client.getVersion()).toBe('1.19.2');
  });
});
