import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv } from '../../http/env.js';
import { renderV1Error } from '../../http/errors.js';
import type { Caller } from '../../services/deployments/access.js';
import { codeToStatus, ServiceError, ValidationError } from '../../services/errors.js';

export const JSON_UTF8 = 'application/json;charset=UTF-8';
export const TEXT_UTF8 = 'text/plain;charset=UTF-8';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A legacy answer that is not a v1 service error: its own status and message. */
export class LegacyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'LegacyError';
  }
}

export const notFoundDeployment = (id: string) => new LegacyError(404, `The deployment ${id} doesn't exist`);
export const notFoundResource = (id: string, rid: string) => new LegacyError(404, `The resource ${rid} in deployment ${id} doesn't exist`);

export function legacyJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_UTF8, ...headers } });
}

export function legacyText(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': TEXT_UTF8 } });
}

export function legacyErrorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return legacyJson({ code: status, title: REASON[status] ?? 'Error', message }, status, headers);
}

/** v1 "<Entity> <id> not found" in the legacy wording, which names the deployment of a resource. */
function notFoundMessage(message: string, c: Context<AppEnv>): string {
  const deployment = /^Deployment (\S+) not found$/.exec(message);
  if (deployment) return `The deployment ${deployment[1]} doesn't exist`;
  const resource = /^Resource (\S+) not found$/.exec(message);
  if (resource) return `The resource ${resource[1]} in deployment ${c.req.param('id') ?? ''} doesn't exist`;
  return message;
}

/** Every failure as `{code, title, message}` with the legacy status (a v1 422 is a legacy 400). */
export async function renderLegacyError(err: Error, c: Context<AppEnv>): Promise<Response> {
  if (err instanceof LegacyError) return legacyErrorResponse(err.status, err.message, err.headers);
  if (err instanceof ServiceError) {
    const status = err.code === 'VALIDATION' ? 400 : codeToStatus[err.code];
    const headers: Record<string, string> = {};
    if (status === 401) headers['WWW-Authenticate'] = `Bearer error="invalid_token", error_description="${err.message.replace(/["\\]/g, '')}"`;
    if (status === 409 && /retry it$/.test(err.message)) headers['Retry-After'] = '0';
    return legacyErrorResponse(status, status === 404 ? notFoundMessage(err.message, c) : err.message, headers);
  }
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    return legacyErrorResponse(err.status, err.message || REASON[err.status] || 'Error', Object.fromEntries([...res.headers].filter(([k]) => k.toLowerCase() === 'retry-after')));
  }
  // Anything else (a row deleted meanwhile, a bug) as v1 words it, logged there, in the legacy shape.
  const v1 = renderV1Error(err, c);
  const { detail } = (await v1.json()) as { detail: string };
  return legacyErrorResponse(v1.status, detail, v1.status === 409 ? { 'Retry-After': '0' } : {});
}

export const caller = (c: Context<AppEnv>): Caller => ({ identity: c.get('identity'), userId: c.get('userId') });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is no UUID names no deployment: 404, as for an unknown one. */
export function deploymentIdOf(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) throw notFoundDeployment(id);
  return id.toLowerCase();
}

export function resourceIdOf(c: Context<AppEnv>, deploymentId: string, onUnknown: (rid: string) => Error = (rid) => notFoundResource(deploymentId, rid)): string {
  const rid = c.req.param('rid') ?? '';
  if (!UUID.test(rid)) throw onUnknown(rid);
  return rid.toLowerCase();
}

/** The JSON body of a POST/PUT/PATCH: another content type is 415, an unreadable body 400. */
export async function readJsonBody(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim())) {
    throw new LegacyError(415, `Content type '${type || 'none'}' not supported; send application/json`);
  }
  const text = await c.req.text();
  if (!text.trim()) throw new LegacyError(400, 'Required request body is missing');
  try {
    return JSON.parse(text);
  } catch {
    throw new LegacyError(400, 'Malformed JSON request body');
  }
}

/** Parses with a schema; the first problem becomes a legacy 400 naming its field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.');
  throw new ValidationError(field ? `${field}: ${issue.message}` : (issue?.message ?? 'Invalid request body'), []);
}

/** Jackson coerced numeric strings ("720") into numbers; both clients rely on it. */
export function legacyInt(min: number, field: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: `${field} must be an integer` }).int({ error: `${field} must be an integer` }).min(min, { error: `${field} must be >= ${min}` }),
  );
}

/** …and "true"/"false" into booleans. */
export function legacyBool(field: string) {
  return z.preprocess((v) => (typeof v === 'string' && /^(true|false)$/i.test(v.trim()) ? v.trim().toLowerCase() === 'true' : v), z.boolean({ error: `${field} must be true or false` }));
}
