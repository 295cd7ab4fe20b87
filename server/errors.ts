// One error type for the whole domain. Domain code throws AppError; the tRPC layer and
// plain route handlers translate it to their own status codes (see toHttpStatus).
export const appErrorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // Used where a dependency (Redis, storage) is temporarily unavailable.
  UNAVAILABLE: 503,
  INSUFFICIENT_STORAGE: 507,
} as const;

export type AppErrorCode = keyof typeof appErrorCodes;

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  /** Seconds, for RATE_LIMITED / UNAVAILABLE: becomes the Retry-After header. */
  retryAfter?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;
  readonly retryAfter?: number;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }

  get httpStatus(): number {
    return appErrorCodes[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "You are not allowed to do this") => new AppError("FORBIDDEN", message);
