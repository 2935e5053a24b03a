import { z } from '@hono/zod-openapi';

/** Postgres text cannot hold U+0000: reject it at the edge as a 422, never let it reach a query. */
export function cleanString() {
  return z.string().regex(/^[^\u0000]*$/, { error: 'must not contain NUL characters' });
}

/** A trimmed, non-empty, NUL-free string of at most `max` characters. */
export function text(max: number) {
  return cleanString().trim().min(1, { error: 'must not be empty' }).max(max);
}

/** A list filter value. */
export function filterValue(max = 1024) {
  return cleanString().max(max);
}
