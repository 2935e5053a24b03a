/**
 * The OAuth 2.0 pieces of a token refresh: discovering an issuer's token endpoint and running the
 * refresh_token grant (RFC 6749 §6). Answers are data, never thrown; no message here ever carries
 * a token or the client secret (callers scrub once more before showing one).
 */

export interface RefreshGrantRequest {
  tokenEndpoint: string;
  refreshToken: string;
  clientId: string;
  clientSecret?: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

export type RefreshGrantAnswer =
  | { ok: true; accessToken: string; refreshToken?: string }
  /** `endpointGone`: the endpoint itself failed (network, 404), so a cached discovery may be stale. */
  | { ok: false; detail: string; endpointGone?: boolean };

const MAX_TEXT = 200;

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Why a fetch threw, in words: a timeout, or the system error code (ECONNREFUSED, ENOTFOUND…). */
export function describeFetchFailure(err: unknown, timeoutMs: number): string {
  if (isTimeout(err)) return `no answer within ${timeoutMs} ms`;
  const e = err as { message?: string; cause?: { code?: string; message?: string } } | null;
  const code = e?.cause?.code;
  if (typeof code === 'string') return `unreachable (${code})`;
  return `unreachable (${clip(e?.cause?.message ?? e?.message ?? String(err))})`;
}

function clip(text: string): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT)}…` : oneLine;
}

/** RFC 6749 §5.2: error codes are printable ASCII without `"` and `\`. Anything else is not shown. */
function oauthErrorCode(v: unknown): string | undefined {
  return typeof v === 'string' && /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(v) ? v : undefined;
}

/** The application/x-www-form-urlencoded encoding RFC 6749 §2.3.1 asks for inside HTTP Basic. */
function formUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]|%20/g, (m) => (m === '%20' ? '+' : `%${m.charCodeAt(0).toString(16).toUpperCase()}`));
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Reads `token_endpoint` from `${issuer}/.well-known/openid-configuration`. Rejects with an Error
 * whose message is safe to show. An https issuer must name an https token endpoint.
 */
export async function discoverTokenEndpoint(issuer: string, doFetch: typeof fetch, timeoutMs: number): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    throw new Error(`cannot fetch its discovery document: ${describeFetchFailure(err, timeoutMs)}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`its discovery document answered HTTP ${res.status}`);
  }
  let doc: unknown;
  try {
    doc = await res.json();
  } catch (err) {
    if (isTimeout(err)) throw new Error(`cannot fetch its discovery document: no answer within ${timeoutMs} ms`);
    throw new Error('its discovery document is not JSON');
  }
  const endpoint = (doc as { token_endpoint?: unknown } | null)?.token_endpoint;
  if (typeof endpoint !== 'string' || !isHttpUrl(endpoint)) throw new Error('its discovery document names no http(s) token_endpoint');
  if (new URL(url).protocol === 'https:' && new URL(endpoint).protocol !== 'https:') {
    throw new Error('its discovery document names a token_endpoint that is not https');
  }
  return endpoint;
}

/** POSTs the refresh_token grant; the client secret, when given, goes in HTTP Basic. */
export async function runRefreshGrant(r: RefreshGrantRequest): Promise<RefreshGrantAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (r.clientSecret !== undefined) {
    headers.authorization = `Basic ${btoa(`${formUrlEncode(r.clientId)}:${formUrlEncode(r.clientSecret)}`)}`;
  }
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: r.refreshToken, client_id: r.clientId });
  let res: Response;
  try {
    // A redirect would resend the refresh token elsewhere: refuse it.
    res = await r.fetch(r.tokenEndpoint, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(r.timeoutMs) });
  } catch (err) {
    return { ok: false, detail: `cannot call its token endpoint: ${describeFetchFailure(err, r.timeoutMs)}`, endpointGone: true };
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    return { ok: false, detail: `cannot read its token endpoint's answer: ${describeFetchFailure(err, r.timeoutMs)}` };
  }
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }

  if (!res.ok) {
    const code = oauthErrorCode(json?.error);
    const description = typeof json?.error_description === 'string' ? clip(json.error_description) : '';
    const what = `its token endpoint answered ${code ? `${code} (HTTP ${res.status})` : `HTTP ${res.status}`}`;
    const hint = code === 'invalid_grant' ? ' — the user must submit a new refresh token' : '';
    return { ok: false, detail: `${what}${description ? `: ${description}` : ''}${hint}`, endpointGone: res.status === 404 };
  }
  if (!json) return { ok: false, detail: `its token endpoint answered HTTP ${res.status} with a body that is not a JSON object` };
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    return { ok: false, detail: 'its token endpoint answered without an access_token' };
  }
  if (json.token_type !== undefined && (typeof json.token_type !== 'string' || json.token_type.toLowerCase() !== 'bearer')) {
    const shown = typeof json.token_type === 'string' ? oauthErrorCode(json.token_type) ?? 'unreadable' : typeof json.token_type;
    return { ok: false, detail: `its token endpoint issued a token of type ${shown}, not Bearer` };
  }
  const refreshToken = typeof json.refresh_token === 'string' && json.refresh_token.length > 0 ? json.refresh_token : undefined;
  return { ok: true, accessToken, ...(refreshToken ? { refreshToken } : {}) };
}
