import { describe, expect, it } from 'vitest';
import type { Identity, TokenVerifier } from '../../src/http/auth/identity.js';
import { withVerifiedTokenCache } from '../../src/http/auth/verified-token-cache.js';
import { UnauthorizedError } from '../../src/services/errors.js';

function countingVerifier(expiresAt: number | undefined): TokenVerifier & { calls: number } {
  const v = {
    calls: 0,
    async verify(authorization: string | undefined): Promise<Identity> {
      v.calls++;
      if (authorization === 'Bearer bad') throw new UnauthorizedError('token signature is invalid');
      return { issuer: 'https://iam.example.org', sub: 'alice', groups: [], isAdmin: false, accessToken: 'tok', expiresAt };
    },
  };
  return v;
}

describe('the verified-token cache', () => {
  it('verifies a token once and serves repeats from the cache', async () => {
    let clock = 1_000_000;
    const inner = countingVerifier(clock / 1000 + 3600);
    const cached = withVerifiedTokenCache(inner, { now: () => clock });
    for (let i = 0; i < 5; i++) expect((await cached.verify('Bearer good')).sub).toBe('alice');
    expect(inner.calls).toBe(1);
    clock += 61_000;
    await cached.verify('Bearer good');
    expect(inner.calls).toBe(2);
  });

  it('never serves a token past its exp from the cache', async () => {
    let clock = 2_000_000;
    const inner = countingVerifier(clock / 1000 + 10);
    const cached = withVerifiedTokenCache(inner, { now: () => clock });
    await cached.verify('Bearer good');
    clock += 11_000;
    await cached.verify('Bearer good');
    expect(inner.calls).toBe(2);
  });

  it('never caches a rejection', async () => {
    const inner = countingVerifier(undefined);
    const cached = withVerifiedTokenCache(inner);
    await expect(cached.verify('Bearer bad')).rejects.toThrow(/signature/);
    await expect(cached.verify('Bearer bad')).rejects.toThrow(/signature/);
    expect(inner.calls).toBe(2);
  });

  it('stays within its size bound', async () => {
    const inner = countingVerifier(undefined);
    const cached = withVerifiedTokenCache(inner, { maxEntries: 2 });
    await cached.verify('Bearer a');
    await cached.verify('Bearer b');
    await cached.verify('Bearer c');
    await cached.verify('Bearer a');
    expect(inner.calls).toBe(4);
  });

  it('evicts the least recently used token first', async () => {
    const inner = countingVerifier(undefined);
    const cached = withVerifiedTokenCache(inner, { maxEntries: 2 });
    await cached.verify('Bearer a');
    await cached.verify('Bearer b');
    await cached.verify('Bearer a');
    await cached.verify('Bearer c');
    expect(inner.calls).toBe(3);
    await cached.verify('Bearer a');
    expect(inner.calls).toBe(3);
    await cached.verify('Bearer b');
    expect(inner.calls).toBe(4);
  });

  it('does not cache a token that expires before it could be reused', async () => {
    const clock = 3_000_000;
    const inner = countingVerifier(clock / 1000);
    const cached = withVerifiedTokenCache(inner, { now: () => clock });
    await cached.verify('Bearer good');
    await cached.verify('Bearer good');
    expect(inner.calls).toBe(2);
  });
});
