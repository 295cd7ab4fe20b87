// Request id and client address for logs, rate limits and the x-request-id header; plain
// Fetch API, shared by the Next route handlers and the direct tRPC path.
import { randomUUID } from "node:crypto";

export function requestIdOf(req: { headers: Headers }): string {
  const given = req.headers.get("x-request-id");
  // Accept a caller's id only if it is short and plain, so it is safe to log and echo.
  return given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

export function clientIpOf(req: { headers: Headers }): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || "unknown";
}
