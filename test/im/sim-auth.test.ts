import { describe, expect, it } from 'vitest';
import { authenticate, cloudCredentialsValid } from '../../src/im/simulator/sim-auth.js';
import { createSimStore } from '../../src/im/simulator/store.js';
import { makeToken, START_MS } from './fixtures.js';

const env = (extra: Partial<Parameters<typeof authenticate>[1]> = {}) => ({ nowMs: START_MS, store: createSimStore(), ...extra });
const imToken = (token: string) => `id = im ; type = InfrastructureManager ; token = ${token}`;

describe('simulator authentication (as the IM checks the header)', () => {
  it('derives the OIDC identity so a fresh token of the same user owns the same infrastructures', () => {
    const a = authenticate(imToken(makeToken({ preferred_username: 'alice' })), env());
    const b = authenticate(imToken(makeToken({ preferred_username: 'alice', exp: Math.floor(START_MS / 1000) + 7200 })), env());
    expect(a.ok && b.ok && a.identity.key === b.identity.key).toBe(true);
    expect(a.ok && a.identity.name).toBe('__OPENID__alice');
    const other = authenticate(imToken(makeToken({ sub: 'bob' })), env());
    expect(other.ok && a.ok && other.identity.key !== a.identity.key).toBe(true);
  });

  it('refuses an issuer outside the accepted list, but any issuer when the list is empty', () => {
    const token = imToken(makeToken({ iss: 'https://elsewhere.invalid/' }));
    expect(authenticate(token, env({ acceptedIssuers: ['https://iam.test.invalid/'] }))).toMatchObject({ ok: false, kind: 'credentials' });
    expect(authenticate(token, env({ acceptedIssuers: [] })).ok).toBe(true);
  });

  it('refuses an expired token with the IM message, a non-JWT with a decode error, and no IM line as missing', () => {
    expect(authenticate(imToken(makeToken({ exp: Math.floor(START_MS / 1000) })), env())).toEqual({
      ok: false,
      kind: 'credentials',
      message: 'Invalid InfrastructureManager credentials. OIDC auth Token expired.',
    });
    expect(authenticate(imToken('opaque'), env())).toMatchObject({ ok: false, kind: 'decode' });
    expect(authenticate('id = ost ; type = OpenStack ; host = h', env())).toMatchObject({ ok: false, kind: 'missing' });
    expect(authenticate(undefined, env())).toMatchObject({ ok: false, kind: 'missing' });
  });

  it('checks username/password against configured IM users', () => {
    const header = 'type = InfrastructureManager ; username = orch ; password = wrong';
    expect(authenticate(header, env({ users: { orch: 'right' } }))).toMatchObject({ ok: false, kind: 'credentials' });
    expect(authenticate(header, env()).ok).toBe(true);
  });

  it('judges a provider line by its secret: expired JWT or none → unusable, Dummy → fine', () => {
    const e = env();
    expect(cloudCredentialsValid({ id: 'ost', type: 'OpenStack', password: makeToken() }, e)).toBe(true);
    expect(cloudCredentialsValid({ id: 'ost', type: 'OpenStack', password: makeToken({ exp: 1 }) }, e)).toBe(false);
    expect(cloudCredentialsValid({ id: 'ost', type: 'OpenStack' }, e)).toBe(false);
    expect(cloudCredentialsValid({ id: 'd', type: 'Dummy' }, e)).toBe(true);
    expect(cloudCredentialsValid(undefined, e)).toBe(false);
  });
});
