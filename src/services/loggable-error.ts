import { pgErrorCode } from '../db/pg-errors.js';

/**
 * An error as it may be logged. Database errors carry the query's parameters in their message
 * and stack (drizzle appends "params: …"), which can hold passwords and tokens: cut them off.
 */
export function loggableError(err: unknown): { name: string; message: string; code?: string; cause?: string; stack?: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  const cut = (text: string | undefined) => text?.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: *****');
  const cause = e.cause instanceof Error ? e.cause : undefined;
  const code = pgErrorCode(e);
  return {
    name: e.name,
    message: cut(e.message) ?? '',
    ...(typeof code === 'string' ? { code } : {}),
    ...(cause ? { cause: cut(cause.message) } : {}),
    stack: cut(e.stack),
  };
}
