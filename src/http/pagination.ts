import { z } from '@hono/zod-openapi';
import { ValidationError } from '../services/errors.js';
import { validationDetail } from './errors.js';
import { absoluteUrl } from './urls.js';

export const MAX_PAGE_SIZE = 100;

/** Query parameters every list accepts; `sort` is a whitelisted `field` or `-field`. */
export function pageQuery<const F extends readonly [string, ...string[]]>(sortFields: F, defaultSort: string) {
  const choices = sortFields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
  return z.object({
    page: z.coerce.number().int().min(1).default(1).openapi({ description: '1-based page number' }),
    size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(10).openapi({ description: `page size, 1..${MAX_PAGE_SIZE}` }),
    sort: z
      .enum(choices, { error: `sort must be one of: ${choices.join(', ')}` })
      .default(defaultSort)
      .openapi({ description: '`field` (ascending) or `-field` (descending)' }),
  });
}

export function parseSort<F extends string>(sort: string): { field: F; direction: 'asc' | 'desc' } {
  return sort.startsWith('-') ? { field: sort.slice(1) as F, direction: 'desc' } : { field: sort as F, direction: 'asc' };
}

export function pageWindow(page: number, size: number) {
  return { limit: size, offset: (page - 1) * size };
}

export const PageLinksSchema = z.object({
  first: z.string(),
  prev: z.string().nullable(),
  next: z.string().nullable(),
  last: z.string(),
});

export const PageInfoSchema = z.object({
  size: z.number().int(),
  total_elements: z.number().int(),
  total_pages: z.number().int(),
  number: z.number().int(),
});

export function pageEnvelopeSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), links: PageLinksSchema, page: PageInfoSchema });
}

/** Builds `{data, links, page}` with absolute links that keep every other query parameter. */
export function pageEnvelope<T>(requestUrl: string, publicUrl: string | undefined, page: number, size: number, total: number, data: T[]) {
  const url = new URL(requestUrl);
  const base = new URL(absoluteUrl(requestUrl, publicUrl, url.pathname + url.search));
  const totalPages = Math.ceil(total / size);
  const link = (n: number) => {
    const u = new URL(base);
    u.searchParams.set('page', String(n));
    u.searchParams.set('size', String(size));
    return u.toString();
  };
  const lastPage = Math.max(1, totalPages);
  return {
    data,
    links: {
      first: link(1),
      prev: page > 1 ? link(Math.min(page - 1, lastPage)) : null,
      next: page < totalPages ? link(page + 1) : null,
      last: link(lastPage),
    },
    page: { size, total_elements: total, total_pages: totalPages, number: page },
  };
}

const unknownParameter = (known: string[]) => `unknown query parameter; known ones: ${known.join(', ')}`;

/**
 * A list's query schema, refusing parameters it does not know: 422 naming each one, together with a bad
 * sort or page, so a typo never silently widens a filter.
 */
export function listQuery<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const message = unknownParameter(Object.keys(schema.shape));
  return z.strictObject(schema.shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? message : undefined) });
}

/** The same 422 as a listQuery schema answers, for a query schema that lets unknown keys through. */
export function assertKnownQueryParams(requestUrl: string, schema: { shape: Record<string, unknown> }): void {
  const known = Object.keys(schema.shape);
  const unknown = [...new Set(new URL(requestUrl).searchParams.keys())].filter((k) => !known.includes(k));
  if (unknown.length) {
    const errors = unknown.map((k) => ({ loc: ['query', k], msg: unknownParameter(known) }));
    throw new ValidationError(validationDetail(errors), errors);
  }
}
