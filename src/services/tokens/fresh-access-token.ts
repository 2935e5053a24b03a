import { decodeJwt } from 'jose';
import type { SecretBox } from '../secret-box.js';
import { discoverTokenEndpoint, runRefreshGrant } from './token-endpoint.js';

export interface FreshAccessTokenInput {
  /** The user's last access token (a JWT verified when it was submitted). */
  accessToken: string;
  /** The user's refresh token as stored: sealed with the SecretBox, or null when none is stored. */
  refreshTokenSealed: string | null;
  /** The issuer of both tokens (the user's `iss`); its token endpoint is discovered from it. */
  issuer: string;
}

export type FreshAccessTokenResult =
  | {
      ok: true;
      accessToken: string;
      /** True when `accessToken` was just obtained from the issuer's token endpoint. */
      refreshed: boolean;
      /**
       * The rotated refresh token the issuer returned, already sealed with the SecretBox: store it
       * in place of the old one (the old one may no longer work). Absent when none was returned.
       */
      newRefreshTokenSealed?: string;
    }
  /** `reason` is a sentence for users and logs: it names the issuer and the OAuth error, never a token. */
  | { ok: false; reason: string };

export interface TokenRefresher {
  freshAccessToken(input: FreshAccessTokenInput): Promise<FreshAccessTokenResult>;
}

export interface TokenRefresherOptions {
  /** The OAuth client (OIDC_CLIENT_ID); without it no token can be refreshed. */
  clientId?: string;
  /** OIDC_CLIENT_SECRET, sent with HTTP Basic when set. */
  clientSecret?: string;
  secrets: SecretBox;
  fetch?: typeof fetch;
  /** Current time in milliseconds since the epoch (Date.now). */
  now?: () => number;
  /** A token valid for at most this long is refreshed (default 300 s). */
  minValiditySecs?: number;
  /** Per HTTP request (discovery, token endpoint); default 10 000 ms. */
  timeoutMs?: number;
}

const MAX_ISSUER_SHOWN = 200;

function describeValidity(accessToken: string, nowSec: number): { remaining: number; words: string } {
  let exp: unknown;
  try {
    exp = decodeJwt(accessToken).exp;
  } catch {
    return { remaining: -Infinity, words: 'the access token is not a readable JWT' };
  }
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { remaining: -Infinity, words: 'the access token has no expiry (exp)' };
  const remaining = Math.floor(exp - nowSec);
  return {
    remaining,
    words: remaining > 0 ? `the access token expires in ${remaining} s` : `the access token expired ${-remaining} s ago`,
  };
}

/** Replaces every secret in `text` by `*****`: the last guard before a reason leaves this module. */
function scrub(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('*****');
  return out;
}

/**
 * Gives the deployment worker an access token that stays valid for the next IM call: the stored
 * one while it has more than `minValiditySecs` left, else a new one from the issuer's token endpoint
 * through the refresh_token grant. Nothing here logs; failures come back as `{ ok: false, reason }`.
 */
export function createTokenRefresher(opts: TokenRefresherOptions): TokenRefresher {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const minValiditySecs = opts.minValiditySecs ?? 300;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const endpoints = new Map<string, Promise<string>>();
  /** One refresh at a time per stored refresh token: issuers that rotate reject a reused one. */
  const inFlight = new Map<string, Promise<FreshAccessTokenResult>>();

  function tokenEndpointOf(issuer: string): Promise<string> {
    let pending = endpoints.get(issuer);
    if (!pending) {
      pending = discoverTokenEndpoint(issuer, doFetch, timeoutMs);
      endpoints.set(issuer, pending);
      pending.catch(() => endpoints.delete(issuer));
    }
    return pending;
  }

  async function refresh(input: FreshAccessTokenInput & { refreshTokenSealed: string; clientId: string }, validity: string): Promise<FreshAccessTokenResult> {
    const issuer = input.issuer.replace(/\/+$/, '');
    const shownIssuer = issuer.length > MAX_ISSUER_SHOWN ? `${issuer.slice(0, MAX_ISSUER_SHOWN)}…` : issuer;
    let refreshToken: string | undefined;
    const fail = (detail: string): FreshAccessTokenResult => ({
      ok: false,
      reason: scrub(`${validity}; refreshing it at ${shownIssuer} failed: ${detail}`, [input.accessToken, refreshToken, opts.clientSecret]),
    });
    try {
      refreshToken = await opts.secrets.open(input.refreshTokenSealed);
    } catch {
      return { ok: false, reason: `${validity} and the stored refresh token cannot be decrypted (was SECRET_KEY changed?); the user must submit a new one` };
    }
    let tokenEndpoint: string;
    try {
      tokenEndpoint = await tokenEndpointOf(issuer);
    } catch (err) {
      return fail((err as Error).message);
    }
    const answer = await runRefreshGrant({
      tokenEndpoint,
      refreshToken,
      clientId: input.clientId,
      clientSecret: opts.clientSecret,
      fetch: doFetch,
      timeoutMs,
    });
    if (!answer.ok) {
      if (answer.endpointGone) endpoints.delete(issuer); // rediscover next time: the endpoint may have moved
      return fail(scrub(answer.detail, [refreshToken]));
    }
    const rotated = answer.refreshToken !== undefined && answer.refreshToken !== refreshToken ? answer.refreshToken : undefined;
    let newRefreshTokenSealed: string | undefined;
    if (rotated) {
      try {
        newRefreshTokenSealed = await opts.secrets.seal(rotated);
      } catch {
        return fail('the rotated refresh token could not be sealed');
      }
    }
    return { ok: true, accessToken: answer.accessToken, refreshed: true, ...(newRefreshTokenSealed ? { newRefreshTokenSealed } : {}) };
  }

  return {
    async freshAccessToken(input) {
      const validity = describeValidity(input.accessToken, now() / 1000);
      if (validity.remaining > minValiditySecs) return { ok: true, accessToken: input.accessToken, refreshed: false };
      if (!input.refreshTokenSealed) return { ok: false, reason: `${validity.words} and no refresh token is stored for the user` };
      if (!opts.clientId) {
        return { ok: false, reason: `${validity.words} and no OIDC client is configured to refresh it (set OIDC_CLIENT_ID)` };
      }
      const key = `${input.issuer}\u0000${input.refreshTokenSealed}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = refresh({ ...input, refreshTokenSealed: input.refreshTokenSealed, clientId: opts.clientId }, validity.words)
          .catch((): FreshAccessTokenResult => ({ ok: false, reason: `${validity.words}; refreshing it failed unexpectedly` }))
          .finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}
