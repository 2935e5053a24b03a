import { z } from '@hono/zod-openapi';

/** Where a field entry points: `errors` of a refusal and template warnings both use it. */
export const FieldLocSchema = z.array(z.union([z.string(), z.number()]));

export const ErrorSchema = z
  .object({
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ loc: FieldLocSchema, msg: z.string() })).optional(),
  })
  .openapi('Error');

const described = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

/** The error responses a route can produce, declared once so the spec lists them. */
export const errorResponses = {
  400: described('Malformed request (e.g. invalid JSON)'),
  401: described('Missing, invalid or expired bearer token'),
  403: described('The caller may not do this'),
  404: described('No such entity'),
  409: described('Conflicts with the current state'),
  413: described('Request body too large'),
  422: described('Validation failed; `errors` lists every bad field'),
  500: described('Unexpected error; the detail carries a request id'),
  503: described('A dependency is unavailable'),
} as const;

export function pickErrors<K extends keyof typeof errorResponses>(...codes: K[]): Pick<typeof errorResponses, K> {
  return Object.fromEntries(codes.map((c) => [c, errorResponses[c]])) as Pick<typeof errorResponses, K>;
}

export const bearerSecurity = [{ bearerAuth: [] }];

export const IdParam = z.object({
  id: z
    .uuid({ error: 'must be a UUID' })
    .transform((id) => id.toLowerCase())
    .openapi({ param: { name: 'id', in: 'path' }, example: '0192f5c4-4b1e-7a3e-9c1d-2f6a8b9c0d1e' }),
});

export const CreatedIdSchema = z.object({ id: z.uuid() }).openapi('CreatedId');
