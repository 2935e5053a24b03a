import type { Context } from 'hono';

export type Representation = 'json' | 'default';

function acceptItems(accept: string | undefined): string[] {
  return (accept ?? '')
    .split(',')
    .map((item) => item.split(';')[0].trim().toLowerCase())
    .filter(Boolean);
}

/**
 * The IM's Accept negotiation: items in order; JSON for `application/json` or `application/*`,
 * the default representation for its own type, `*\/*` or `text/*`; null → 415.
 */
export function negotiate(accept: string | undefined, defaultType: string): Representation | null {
  const items = acceptItems(accept);
  if (items.length === 0) return 'default';
  for (const media of items) {
    if (media === 'application/json' || media === 'application/*') return 'json';
    if (media === defaultType || media === '*/*' || media === 'text/*') return 'default';
  }
  return null;
}

/** Routes that only speak JSON accept an absent Accept, JSON, `application/*` or `*\/*`. */
export function negotiateJsonOnly(accept: string | undefined): boolean {
  const items = acceptItems(accept);
  return items.length === 0 || items.some((m) => m === 'application/json' || m === 'application/*' || m === '*/*');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An error shaped by Accept, as the IM renders it: JSON, an HTML page, or the bare message. */
export function imError(c: Context, status: number, message: string): Response {
  const items = acceptItems(c.req.header('accept'));
  const first = items.find((m) => m === 'application/json' || m === 'application/*' || m === 'text/html');
  if (first === 'application/json' || first === 'application/*') {
    return c.json({ message, code: status }, status as 400);
  }
  if (first === 'text/html') {
    return c.html(
      `<!doctype html><html><head><title>Error ${status}</title></head><body><h1>Error ${status}</h1><p>${escapeHtml(message)}</p></body></html>`,
      status as 400,
    );
  }
  return c.text(message, status as 400);
}

export function unsupportedAccept(c: Context): Response {
  return imError(c, 415, `Unsupported Accept Media Types: ${c.req.header('accept') ?? ''}`);
}

const TRUE = new Set(['yes', 'true', '1']);
const FALSE = new Set(['no', 'false', '0']);

/** Reads a boolean query flag; undefined when absent, `'invalid'` when malformed. */
export function readFlag(c: Context, name: string): boolean | undefined | 'invalid' {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return 'invalid';
}

/** Absolute base URL of the request, honouring X-Forwarded-Proto/Host. */
export function requestBase(c: Context): string {
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0].trim() || url.protocol.replace(':', '');
  const host = c.req.header('x-forwarded-host')?.split(',')[0].trim() || url.host;
  return `${proto}://${host}/`;
}

export function infraUri(c: Context, infId: string, vmId?: number | string): string {
  const base = `${requestBase(c)}infrastructures/${infId}`;
  return vmId === undefined ? base : `${base}/vms/${vmId}`;
}

/** A URI list in the negotiated representation. */
export function uriListResponse(c: Context, uris: string[], rep: Representation): Response {
  if (rep === 'json') return c.json({ 'uri-list': uris.map((uri) => ({ uri })) });
  return c.body(uris.join('\n'), 200, { 'Content-Type': 'text/uri-list' });
}

/** A scalar answer `{"<field>": value}` or its default text form. */
export function scalarResponse(c: Context, field: string, value: string, rep: Representation, defaultType = 'text/plain'): Response {
  if (rep === 'json') return c.json({ [field]: value });
  return c.body(value, 200, { 'Content-Type': defaultType });
}

export function emptyOk(c: Context, headers?: Record<string, string>): Response {
  return c.body('', 200, { 'Content-Type': 'text/plain', ...headers });
}
