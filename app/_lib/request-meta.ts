import { randomUUID } from "node:crypto";

export function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  // Accept a caller's id only if it is short and plain, so it is safe to log and echo.
  return given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

export function clientIpOf(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || "unknown";
}
