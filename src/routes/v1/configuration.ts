import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';
import { absoluteUrl } from '../../http/urls.js';

export const ConfigurationSchema = z
  .object({
    im_url: z.string().nullable(),
    oidc_issuers: z.array(z.string()),
    dev_issuer: z.string().optional(),
    opa_url: z.string().optional(),
    vault_url: z.string().optional(),
    docs_url: z.string(),
    openapi_url: z.string(),
  })
  .openapi('Configuration');

const route = createRoute({
  method: 'get',
  path: '/configuration',
  tags: ['Configuration'],
  operationId: 'getConfiguration',
  summary: 'The micro-service endpoints a client needs',
  responses: { 200: { description: 'Endpoints', content: { 'application/json': { schema: ConfigurationSchema } } } },
});

export const configurationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, (c) => {
  const { settings, devIssuer } = c.get('deps');
  const here = (path: string) => absoluteUrl(c.req.url, settings.publicUrl, path);
  return c.json(
    {
      im_url: settings.imUrl ?? null,
      oidc_issuers: devIssuer ? [...settings.oidcIssuers, devIssuer.issuer] : settings.oidcIssuers,
      ...(devIssuer ? { dev_issuer: devIssuer.issuer } : {}),
      ...(settings.opaUrl ? { opa_url: settings.opaUrl } : {}),
      ...(settings.vaultUrl ? { vault_url: settings.vaultUrl } : {}),
      docs_url: here('/docs'),
      openapi_url: here('/api/v1/openapi.json'),
    },
    200,
  );
});
