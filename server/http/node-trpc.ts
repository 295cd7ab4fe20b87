// /api/trpc answered straight from Node's http server, without going through Next.
//
// Why: under load a tRPC call spent a good part of its web CPU in Next's request pipeline
// (routing, the App Router's request/response wrappers, its async context), none of which a
// JSON API call needs (bench/web.md). `npm start`'s web processes (scripts/start-web.cjs) send
// /api/trpc here and everything else (pages, assets, the other route handlers) to Next.
//
// It does what the Next route (app/api/trpc/[trpc]/route.ts) does, with the same code: the
// session from next-auth's cookie (server/auth/session-token.ts), the request id and client
// address, the latency histogram, and handleTrpcRequest. It adds the security headers that
// next.config.js gives every Next response (one shared list), gzips as Next does, and it enforces the body limit
// while reading, so a chunked body without Content-Length cannot grow past it either.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { parse as parseCookies } from "cookie";
import { handleTrpcRequest, TRPC_MAX_BODY_BYTES } from "../trpc/http-handler";
import { trpcRouteLabel } from "../trpc/route-label";
import { timed } from "../metrics/http-metrics";
import { actorFromSessionToken, sessionTokenFrom } from "../auth/session-token";
import { clientIpOf, requestIdOf } from "./request-meta";
import { errorResponse, jsonError } from "./error-response";
import { readLimited } from "./read-limited";
import { securityHeaders } from "./security-headers.cjs";

const TRPC_PATH = /^\/api\/trpc(?:[/?]|$)/;
const SECURITY_HEADERS = securityHeaders(process.env.NODE_ENV === "production");
const GZIP_MIN_BYTES = 1024; // the `compression` middleware's default threshold
const gzip = promisify(zlib.gzip);

/** Whether a request line's URL is a tRPC call (what `npm start` answers here). */
export function isTrpcPath(url: string | undefined): boolean {
  return !!url && TRPC_PATH.test(url);
}

/**
 * The request's headers for the Fetch API. The client address is not decided here: the launcher
 * (scripts/start-web.cjs) has already written it into the request, from the socket and
 * TRUST_PROXY_HOPS, before handing the request over (server/http/client-ip.cjs), and clientIpOf()
 * reads only that (docs/security.md, "Client address").
 */
export function fetchHeadersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

/** Whether the client takes gzip (and has not refused it with q=0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding.trim() !== "gzip" && coding.trim() !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  });
}

async function send(req: IncomingMessage, res: ServerResponse, response: Response, extraHeaders: Record<string, string> = {}): Promise<void> {
  // Buffered, not streamed: the client's httpBatchLink reads whole JSON answers.
  let body: Buffer = Buffer.from(await response.arrayBuffer());
  res.statusCode = response.status;
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  // Compressed like Next compresses its answers (a page of 50 contacts shrinks ~5×, which a
  // phone on event Wi-Fi notices); tiny bodies are not worth the CPU.
  res.setHeader("Vary", [res.getHeader("vary"), "Accept-Encoding"].filter(Boolean).join(", "));
  if (body.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers["accept-encoding"])) {
    body = await gzip(body);
    res.setHeader("Content-Encoding", "gzip");
  }
  res.setHeader("Content-Length", body.length);
  res.end(body);
}

/** Answers one /api/trpc request. Never throws: failures become masked JSON errors. */
export async function handleNodeTrpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Everything inside the try: the launcher does not await this, so a throw here would be an
  // unhandled rejection, which ends the web process.
  let requestId: string = randomUUID();
  try {
    const url = new URL(req.url ?? "/", "http://localhost"); // only the path and query are used
    const method = req.method ?? "GET";
    const headers = fetchHeadersOf(req);
    requestId = requestIdOf({ headers });
    if (method !== "GET" && method !== "POST") {
      req.resume();
      await send(req, res, jsonError(405, "METHOD_NOT_SUPPORTED", `${method} is not supported here; use GET or POST`), { Allow: "GET, POST", "x-request-id": requestId });
      return;
    }
    let body: Uint8Array<ArrayBuffer> | null = null;
    if (method === "POST") {
      const declared = Number(req.headers["content-length"] ?? 0);
      const read = declared > TRPC_MAX_BODY_BYTES ? null : await readLimited(req, TRPC_MAX_BODY_BYTES);
      if (!read) {
        // Not read to the end: close the connection rather than drain an oversized body.
        await send(req, res, jsonError(413, "BAD_REQUEST", "Request body is too large"), { Connection: "close", "x-request-id": requestId });
        return;
      }
      body = read;
    }
    const request = new Request(url, { method, headers, body });
    const actor = await actorFromSessionToken(sessionTokenFrom(cookieList(req.headers.cookie)));
    const response = await timed(trpcRouteLabel(url.pathname), method, () => handleTrpcRequest(request, { actor, requestId, ip: clientIpOf(request) }));
    await send(req, res, response);
  } catch (err) {
    // handleTrpcRequest answers its own errors; this is for anything around it (a bad
    // environment, a broken socket): masked like every other 500.
    if (!res.headersSent) await send(req, res, errorResponse(err, requestId), { "x-request-id": requestId }).catch(() => res.destroy());
    else res.destroy();
  }
}

function cookieList(header: string | undefined): { name: string; value: string }[] {
  if (!header) return [];
  return Object.entries(parseCookies(header)).map(([name, value]) => ({ name, value: value ?? "" }));
}
