import type { Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { LegacyLink } from '../../services/legacy/shapes.js';

export const DEFAULT_SIZE = 10;
export const MAX_SIZE = 2000;

export interface Pageable<F extends string> {
  page: number;
  size: number;
  /** As the links repeat it: `prop,dir`. */
  sort: string;
  v1Sort: { field: F; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

const first = (v: string | undefined) => v?.split(',')[0]?.trim() || undefined;

/**
 * The public root of the legacy routes: PUBLIC_URL, else the request as the client saw it through a
 * proxy (`X-Forwarded-Proto/Host/Port/Prefix`, then `Host`). Both clients GET these hrefs verbatim.
 */
export function publicBase(c: Context<AppEnv>): string {
  const configured = c.get('deps').settings.publicUrl;
  if (configured) return configured.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  const proto = first(c.req.header('x-forwarded-proto')) ?? url.protocol.slice(0, -1);
  let host = first(c.req.header('x-forwarded-host')) ?? c.req.header('host') ?? url.host;
  const port = first(c.req.header('x-forwarded-port'));
  if (port && !/:\d+$/.test(host) && !((proto === 'https' && port === '443') || (proto === 'http' && port === '80'))) host = `${host}:${port}`;
  const prefix = (first(c.req.header('x-forwarded-prefix')) ?? '').replace(/\/+$/, '');
  return `${proto}://${host}${prefix && !prefix.startsWith('/') ? `/${prefix}` : prefix}`;
}

const toInt = (v: string | undefined) => (v !== undefined && /^\s*-?\d+\s*$/.test(v) ? Number(v) : undefined);

/** Spring Data's Pageable: 0-based `page`, `size` 10 by default (max 2000), `sort=prop[,asc|desc]` default `createdAt,desc`. */
export function pageableOf<F extends string>(c: Context<AppEnv>, sortFields: Record<string, F>): Pageable<F> {
  const q = new URL(c.req.url).searchParams;
  const pageRaw = toInt(q.get('page') ?? undefined);
  const page = pageRaw !== undefined && pageRaw >= 0 ? pageRaw : 0;
  const sizeRaw = toInt(q.get('size') ?? undefined);
  const size = sizeRaw === undefined || sizeRaw < 1 ? DEFAULT_SIZE : Math.min(sizeRaw, MAX_SIZE);
  let prop = 'createdAt';
  let dir: 'asc' | 'desc' = 'desc';
  for (const s of q.getAll('sort')) {
    const [p, d] = s.split(',').map((x) => x.trim());
    if (p && Object.hasOwn(sortFields, p)) {
      prop = p;
      dir = d?.toLowerCase() === 'desc' ? 'desc' : 'asc';
      break;
    }
  }
  return { page, size, sort: `${prop},${dir}`, v1Sort: { field: sortFields[prop]!, direction: dir }, limit: size, offset: page * size };
}

const encode = (v: string) => encodeURIComponent(v).replace(/%2C/gi, ',');
const query = (pairs: Array<[string, string]>) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&')}` : '');

export interface PagedBody<T> {
  links: LegacyLink[];
  content: T[];
  page: { size: number; totalElements: number; totalPages: number; number: number };
}

/**
 * The Spring HATEOAS paged wrapper. Links repeat every filter plus page, size and sort, in the order
 * first, prev, self, next, last; `last` whenever `next` exists, or orchent stops following.
 */
export function pagedBody<T>(
  href: string,
  filters: Array<[string, string]>,
  p: Pageable<string>,
  total: number,
  content: T[],
  selfWithPaging: boolean,
): PagedBody<T> {
  const totalPages = Math.ceil(total / p.size);
  const at = (n: number) => `${href}${query([...filters, ['page', String(n)], ['size', String(p.size)], ['sort', p.sort]])}`;
  const links: LegacyLink[] = [];
  if (totalPages > 1) links.push({ rel: 'first', href: at(0) });
  if (p.page > 0 && totalPages > 0) links.push({ rel: 'prev', href: at(Math.min(p.page - 1, totalPages - 1)) });
  links.push({ rel: 'self', href: selfWithPaging ? at(p.page) : `${href}${query(filters)}` });
  if (p.page < totalPages - 1) links.push({ rel: 'next', href: at(p.page + 1) });
  if (totalPages > 1) links.push({ rel: 'last', href: at(totalPages - 1) });
  return { links, content, page: { size: p.size, totalElements: total, totalPages, number: p.page } };
}

/** The filters of the request that links repeat, in a fixed order, as given. */
export function filtersOf(c: Context<AppEnv>, names: string[]): Array<[string, string]> {
  const q = new URL(c.req.url).searchParams;
  return names.flatMap((n) => q.getAll(n).map((v) => [n, v] as [string, string]));
}
