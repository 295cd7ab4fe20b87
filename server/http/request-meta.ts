// Request id and client address for logs, rate limits and the x-request-id header; plain
// Fetch API, shared by the Next route handlers and the direct tRPC path.
import { randomUUID } from "node:crypto";

/**
 * The header `npm start`'s launcher writes the client address into (server/http/client-ip.cjs
 * decides it from the TCP peer and TRUST_PROXY_HOPS, and replaces whatever the client sent).
 * Kept equal to client-ip.cjs's constants by server/http/client-ip.test.ts.
 */
export const CLIENT_IP_HEADER = "x-sa-client-ip";
/** Set by the launcher in its processes' environment: only there is the header the launcher's. */
export const LAUNCHER_MARKER = "SA_CLIENT_IP_FROM_LAUNCHER";
/** The address used when the peer is not known (`next dev`, tests calling a handler directly). */
export const UNKNOWN_IP = "unknown";

export function requestIdOf(req: { headers: Headers }): string {
  const given = req.headers.get("x-request-id");
  // Accept a caller's id only if it is short and plain, so it is safe to log and echo.
  return given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * The value of CLIENT_IP_HEADER as the launcher wrote it, or "unknown". Outside the launcher
 * (`next dev`, `next start` run by hand) nobody removed a client's own copy of that header, and
 * X-Forwarded-For is whatever the client sent, so neither is read: every request there counts as
 * one address for the per-IP limits (docs/security.md, "Client address").
 */
export function stampedClientIp(value: string | null | undefined): string {
  if (process.env[LAUNCHER_MARKER] !== "1") return UNKNOWN_IP;
  const v = value?.trim();
  // The launcher writes a bare IP address; anything else did not come from it.
  return v && v.length <= 45 && /^[0-9A-Fa-f.:]+$/.test(v) ? v : UNKNOWN_IP;
}

export function clientIpOf(req: { headers: Headers }): string {
  return stampedClientIp(req.headers.get(CLIENT_IP_HEADER));
}
