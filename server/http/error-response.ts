// JSON error answers for plain route handlers: {"error":{"code","message"}} with the
// matching HTTP status. Uses only the Fetch API's Response, so it has no Next dependency.
import { ZodError } from "zod";
import { AppError } from "../errors";
import { logger } from "../logger";
import { fieldErrors } from "../trpc/error-mapping";
import { isDatabaseUnavailable } from "../db-unavailable";

export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message, ...extra } }, { status, headers });
}

export function errorResponse(err: unknown, requestId: string): Response {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (err.retryAfter !== undefined) headers["Retry-After"] = String(err.retryAfter);
    if (err.code === "INTERNAL") return internal(err, requestId);
    return jsonError(err.httpStatus, err.code, err.message, err.details ? { details: err.details } : {}, headers);
  }
  if (err instanceof ZodError) {
    return jsonError(422, "VALIDATION", "Invalid input", { fieldErrors: fieldErrors(err) });
  }
  if (isDatabaseUnavailable(err)) {
    // An outage, not a bug: say so (503 + Retry-After) instead of a masked 500.
    logger.warn({ requestId, err: (err as Error).message }, "database unavailable");
    return jsonError(503, "UNAVAILABLE", "The database is unavailable right now. Try again shortly.", {}, { "Retry-After": "10" });
  }
  return internal(err, requestId);
}

function internal(err: unknown, requestId: string): Response {
  // The client gets only the reference; the details go to the log.
  logger.error({ requestId, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, "internal error");
  return jsonError(500, "INTERNAL", `Something went wrong on our side. Reference: ${requestId}`, { requestId });
}
