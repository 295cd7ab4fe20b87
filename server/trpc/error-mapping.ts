// Translates domain errors into tRPC errors. AppError codes map one-to-one; zod input
// errors become VALIDATION (422) with field paths; anything else is INTERNAL and masked.
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";
import { AppError, type AppErrorCode } from "../errors";
import { isDatabaseUnavailable } from "../db-unavailable";

const toTrpc: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  VALIDATION: "UNPROCESSABLE_CONTENT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INSUFFICIENT_STORAGE: "INTERNAL_SERVER_ERROR",
};

const fromTrpc: Partial<Record<TRPC_ERROR_CODE_KEY, AppErrorCode>> = {
  BAD_REQUEST: "BAD_REQUEST",
  PARSE_ERROR: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  UNPROCESSABLE_CONTENT: "VALIDATION",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  PAYLOAD_TOO_LARGE: "BAD_REQUEST",
  SERVICE_UNAVAILABLE: "UNAVAILABLE",
};

/** Zod errors, or any Standard Schema validation error (they carry `issues`). */
export function isValidationCause(cause: unknown): cause is { issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string }> } {
  return cause instanceof ZodError || (typeof cause === "object" && cause !== null && Array.isArray((cause as { issues?: unknown }).issues));
}

export function appCodeOf(error: TRPCError): AppErrorCode {
  if (error.cause instanceof AppError) return error.cause.code;
  if (isValidationCause(error.cause)) return "VALIDATION";
  return fromTrpc[error.code] ?? "INTERNAL";
}

export function fieldErrors(error: { issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string }> }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Converts whatever a procedure threw into the TRPCError that should reach the client. */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof AppError) {
    return new TRPCError({ code: toTrpc[cause.code], message: cause.message, cause });
  }
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The database is unavailable right now. Try again shortly.", cause });
  }
  if (isValidationCause(cause) && error.code === "BAD_REQUEST") {
    return new TRPCError({ code: "UNPROCESSABLE_CONTENT", message: "Invalid input", cause });
  }
  return error;
}
