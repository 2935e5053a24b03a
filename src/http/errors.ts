import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { FOREIGN_KEY_VIOLATION, pgErrorCode } from '../db/pg-errors.js';
import { codeToStatus, ServiceError, type FieldError } from '../services/errors.js';
import { loggableError } from '../services/loggable-error.js';
import type { AppEnv } from './env.js';

/** The v1 error body: `{status, detail}` plus optional structured extras (field errors, ids); an extra never replaces either. */
export function v1ErrorBody(status: number, detail: string, extra?: Record<string, unknown>) {
  return { ...extra, status, detail };
}

export function zodFieldErrors(error: ZodError, where: string): FieldError[] {
  return error.issues.flatMap((i) => {
    const loc = [where, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // One error per unknown key, so each one is named where it is.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ loc: [...loc, k], msg: /^Unrecognized key/.test(i.message) ? 'unknown field' : i.message }));
    return [{ loc, msg: i.message }];
  });
}

export function validationDetail(errors: FieldError[]): string {
  return `Request validation failed: ${errors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; ')}`;
}

/** The one validation hook of every v1 route: 422 listing each bad field. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
  c: Context<AppEnv>,
) {
  if (!result.success) {
    const errors = zodFieldErrors(result.error, result.target);
    return c.json(v1ErrorBody(422, validationDetail(errors), { errors }), 422);
  }
  return undefined;
}

export function renderV1Error(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ServiceError) {
    const status = codeToStatus[err.code] as ContentfulStatusCode;
    return c.json(v1ErrorBody(status, err.message, err.extra), status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const detail = status === 400 && /json/i.test(err.message) ? 'Malformed JSON in request body' : err.message || 'Bad request';
    return c.json(v1ErrorBody(status, detail), status);
  }
  if (pgErrorCode(err) === FOREIGN_KEY_VIOLATION) {
    // Something the request refers to was deleted meanwhile — possibly the caller, by another replica.
    const userId = c.get('userId');
    if (userId) c.get('deps').users.forget(userId);
    return c.json(v1ErrorBody(409, 'Something this request refers to was deleted meanwhile; retry the request'), 409);
  }
  const requestId = c.get('requestId');
  c.get('deps').logger.error({ err: loggableError(err), requestId, method: c.req.method, path: c.req.path }, 'unhandled error');
  return c.json(v1ErrorBody(500, `Internal server error (request id ${requestId})`, { request_id: requestId }), 500);
}
