/** Error codes a service verb can raise; each surface renders them in its own shape. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'VALIDATION'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'UPSTREAM_UNAVAILABLE';

export const codeToStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  VALIDATION: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM_UNAVAILABLE: 503,
} as const satisfies Record<ErrorCode, number>;

export interface FieldError {
  loc: Array<string | number>;
  msg: string;
}

export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export class NotFoundError extends ServiceError {
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${id} not found`);
  }
}

export class ConflictError extends ServiceError {
  constructor(message: string, extra?: Record<string, unknown>) {
    super('CONFLICT', message, extra);
  }
}

export class ForbiddenError extends ServiceError {
  constructor(message = 'You are not allowed to do this') {
    super('FORBIDDEN', message);
  }
}

export class UnauthorizedError extends ServiceError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

export class ValidationError extends ServiceError {
  constructor(message: string, readonly errors: FieldError[]) {
    super('VALIDATION', message, { errors });
  }
}

export class UnavailableError extends ServiceError {
  constructor(message: string) {
    super('UPSTREAM_UNAVAILABLE', message);
  }
}
