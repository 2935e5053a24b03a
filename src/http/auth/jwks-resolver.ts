import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { UnavailableError } from '../../services/errors.js';

export interface JwksResolverOptions {
  fetch?: typeof fetch;
  /** Issuers whose keys are known locally (the dev issuer); no HTTP round trip. */
  localKeys?: Map<string, JWTVerifyGetKey>;
  discoveryTimeoutMs?: number;
  /**
   * After a fetch, a token with an unknown kid refetches the JWKS only once this long has passed, so
   * random kids cannot make the API hammer the issuer; a rotated-in key is picked up within it.
   */
  refetchCooldownMs?: number;
  /** Keys are refetched this often even when every kid is known, so a key removed from the JWKS stops working. */
  cacheMaxAgeMs?: number;
  /** After a failed discovery or JWKS fetch, requests fail fast (503) for this long instead of asking the issuer again. */
  failureRetryMs?: number;
  now?: () => number;
}

export interface JwksResolver {
  keyFor(issuer: string): Promise<JWTVerifyGetKey>;
}

/** The JWKS could not be had (network, timeout, non-200, not a key set); "no such kid" and the like are the token's fault. */
function isFetchFailure(err: unknown): boolean {
  if (!(err instanceof joseErrors.JOSEError)) return true;
  return err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || err.code === 'ERR_JOSE_GENERIC';
}

/** Wraps a remote key set: a failed fetch answers 503, and the next `retryMs` fail fast rather than refetching. */
function failFastAfterFetchErrors(issuer: string, getKey: JWTVerifyGetKey, retryMs: number, now: () => number): JWTVerifyGetKey {
  let failure: { at: number; error: UnavailableError } | undefined;
  return async (header, token) => {
    if (failure && now() - failure.at < retryMs) throw failure.error;
    try {
      const key = await getKey(header, token);
      failure = undefined;
      return key;
    } catch (err) {
      if (!isFetchFailure(err)) throw err;
      const why = err instanceof joseErrors.JWKSTimeout ? 'timed out' : (err as Error).message;
      failure = { at: now(), error: new UnavailableError(`cannot fetch the signing keys of the identity provider ${issuer}: ${why}`) };
      throw failure.error;
    }
  };
}

/**
 * Discovers each issuer's jwks_uri once through /.well-known/openid-configuration and keeps one
 * jose remote key set per issuer, which caches keys and only refetches on an unknown kid. An issuer
 * that cannot be reached is asked again only after `failureRetryMs`.
 */
export function createJwksResolver(options: JwksResolverOptions = {}): JwksResolver {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.discoveryTimeoutMs ?? 5000;
  const cooldownDuration = options.refetchCooldownMs ?? 30_000;
  const cacheMaxAge = options.cacheMaxAgeMs ?? 600_000;
  const retryMs = options.failureRetryMs ?? 5000;
  const discovered = new Map<string, { keys: Promise<JWTVerifyGetKey>; failedAt?: number }>();

  async function discover(issuer: string): Promise<JWTVerifyGetKey> {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let jwksUri: unknown;
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      jwksUri = ((await res.json()) as { jwks_uri?: unknown }).jwks_uri;
    } catch (err) {
      throw new UnavailableError(`cannot reach the identity provider ${issuer}: ${(err as Error).message}`);
    }
    if (typeof jwksUri !== 'string' || !/^https?:\/\//i.test(jwksUri) || !URL.canParse(jwksUri)) {
      throw new UnavailableError(`identity provider ${issuer} publishes no usable jwks_uri`);
    }
    const remote = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: timeoutMs, cooldownDuration, cacheMaxAge });
    return failFastAfterFetchErrors(issuer, remote, retryMs, now);
  }

  return {
    keyFor(issuer) {
      const local = options.localKeys?.get(issuer);
      if (local) return Promise.resolve(local);
      const known = discovered.get(issuer);
      if (known && (known.failedAt === undefined || now() - known.failedAt < retryMs)) return known.keys;
      const entry: { keys: Promise<JWTVerifyGetKey>; failedAt?: number } = { keys: discover(issuer) };
      discovered.set(issuer, entry);
      entry.keys.catch(() => {
        entry.failedAt = now();
      });
      return entry.keys;
    },
  };
}
