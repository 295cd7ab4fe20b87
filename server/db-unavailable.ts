// Recognises "PostgreSQL is down or unreachable" errors, so callers can answer 503
// (an outage) instead of a masked 500 (a bug). Used by route handlers and tRPC.
// Prisma's codes for "cannot reach / lost the server / pool exhausted", the adapter's
// error kinds, and PostgreSQL's shutdown codes (57P01 admin shutdown, 57P03 starting/stopping).
const DB_DOWN_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const DB_DOWN_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const PG_DOWN_CODES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08006"]);

/** True for errors that mean PostgreSQL is down or unreachable (docs/operations.md). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } }; cause?: { kind?: string; originalCode?: string } } | null;
  if (!e || typeof e !== "object") return false;
  if (typeof e.code === "string" && DB_DOWN_CODES.has(e.code)) return true;
  const cause = e.meta?.driverAdapterError?.cause ?? e.cause;
  return !!cause && (DB_DOWN_KINDS.has(cause.kind ?? "") || PG_DOWN_CODES.has(cause.originalCode ?? ""));
}
