import { Hono } from 'hono';
import type { JSONWebKeySet } from 'jose';

/** OIDC discovery + JWKS for the local development issuer, so any client can verify its tokens. */
export function devIssuerRoutes(dev: { issuer: string; jwks: JSONWebKeySet }) {
  return new Hono()
    .get('/.well-known/openid-configuration', (c) =>
      c.json({
        issuer: dev.issuer,
        jwks_uri: `${dev.issuer}/jwks`,
        id_token_signing_alg_values_supported: ['ES256'],
        subject_types_supported: ['public'],
        response_types_supported: ['token'],
      }),
    )
    .get('/jwks', (c) => c.json(dev.jwks));
}
