export type ImErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'timeout'
  | 'invalid';

const RETRYABLE_BY_KIND = {
  auth: false,
  forbidden: false,
  not_found: false,
  conflict: true,
  unavailable: true,
  timeout: true,
  invalid: false,
} as const satisfies Record<ImErrorKind, boolean>;

export interface ImErrorInit {
  kind: ImErrorKind;
  status?: number;
  retryable?: boolean;
  /** The IM's own message (redacted), when it sent one. */
  imMessage?: string;
  operation?: string;
  /** The server's Retry-After hint. */
  retryAfterMs?: number;
  /**
   * The IM may have carried out the request although the call failed (timeout, network error, 5xx on a
   * create or update): look for the result (e.g. an orphan infrastructure) before sending it again.
   */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

/**
 * A failed IM call; workers switch on `kind` and retry only when `retryable`. When `outcomeUnknown` is set,
 * `retryable` is false and the caller must reconcile with the IM before deciding to resend.
 */
export class ImError extends Error {
  override readonly name = 'ImError';
  readonly kind: ImErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  readonly imMessage?: string;
  readonly operation?: string;
  readonly retryAfterMs?: number;
  readonly outcomeUnknown: boolean;

  constructor(message: string, init: ImErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? RETRYABLE_BY_KIND[init.kind];
    this.imMessage = init.imMessage;
    this.operation = init.operation;
    this.retryAfterMs = init.retryAfterMs;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}

/**
 * For calls that are not idempotent (create, update): a timeout, network error or 5xx leaves the outcome
 * unknown, so the error is marked for reconciliation instead of a blind retry. Other errors pass unchanged.
 */
export function markOutcomeUnknown(e: unknown): unknown {
  if (!(e instanceof ImError)) return e;
  const unsure = e.kind === 'timeout' || (e.kind === 'unavailable' && (e.status === undefined || e.status >= 500));
  if (!unsure) return e;
  return new ImError(e.message, {
    kind: e.kind,
    status: e.status,
    retryable: false,
    outcomeUnknown: true,
    imMessage: e.imMessage,
    operation: e.operation,
    retryAfterMs: e.retryAfterMs,
    cause: e.cause,
  });
}

export function isImError(e: unknown): e is ImError {
  return e instanceof ImError;
}
