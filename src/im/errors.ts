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
  cause?: unknown;
}

/** A failed IM call; workers switch on `kind` and retry only when `retryable`. */
export class ImError extends Error {
  override readonly name = 'ImError';
  readonly kind: ImErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  readonly imMessage?: string;
  readonly operation?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, init: ImErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? RETRYABLE_BY_KIND[init.kind];
    this.imMessage = init.imMessage;
    this.operation = init.operation;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export function isImError(e: unknown): e is ImError {
  return e instanceof ImError;
}
