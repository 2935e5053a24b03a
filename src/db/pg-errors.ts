export const FOREIGN_KEY_VIOLATION = '23503';

/** The SQLSTATE of a database error, wherever drizzle or the driver put it in the cause chain. */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
