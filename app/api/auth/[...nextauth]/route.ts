// next-auth's handler, with a guard in front: every POST body is read with a 16 KB limit (413) and must parse (400);
// for the credentials callback it is validated (clear 4xx for empty or oversized fields) and the Redis-backed
// failure limit answers 429 with Retry-After before any password is checked.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { getAuthOptions } from "@/server/auth/options";
import { signInSchema } from "@/server/auth/schemas";
import { assertSignInAllowed } from "@/server/auth/sign-in-limiter";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { fieldErrors } from "@/server/trpc/error-mapping";
import { clientIpOf, requestIdOf } from "@/server/http/request-meta";
import { readBytesLimited } from "@/server/http/limited-body";

export const dynamic = "force-dynamic";

type RouteCtx = { params: Promise<{ nextauth: string[] }> };
const MAX_BODY_BYTES = 16_384;

type Handler = (r: NextRequest, c: RouteCtx) => Promise<Response>;
let handler: Handler | undefined;

function nextAuth(req: NextRequest, ctx: RouteCtx) {
  // Built once per process; next-auth v4 reads the route segments from the second argument.
  handler ??= NextAuth(getAuthOptions()) as unknown as Handler;
  return handler(req, ctx);
}

export async function GET(req: NextRequest, ctx: RouteCtx) {
  return nextAuth(req, ctx);
}

/**
 * Every POST body is read here first, counted while reading (a chunked body declares no length), and next-auth is
 * handed a request holding those bytes. Before, only the credentials callback was checked, and only after the whole
 * body was in memory; sign-out, session and _log bodies went to next-auth unbounded, and their malformed JSON was a
 * 500 (hostile review: 64 MB without a Content-Length was read whole, about 137 MB of memory, with no sign-in).
 */
export async function POST(req: NextRequest, ctx: RouteCtx) {
  const { nextauth } = await ctx.params;
  const read = await readBytesLimited(req, MAX_BODY_BYTES);
  if (!read.ok) {
    return read.reason === "too-large" ? jsonError(413, "BAD_REQUEST", "Sign-in request is too large") : jsonError(400, "BAD_REQUEST", "Malformed sign-in request");
  }
  let body: Record<string, string>;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
    const type = req.headers.get("content-type") ?? "";
    body = type.includes("application/json") ? (JSON.parse(text || "{}") as Record<string, string>) : Object.fromEntries(new URLSearchParams(text));
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
  } catch {
    return jsonError(400, "BAD_REQUEST", "Malformed sign-in request");
  }
  // next-auth reads req.nextUrl, so it gets a NextRequest again, with the bytes already read as its body.
  // An empty body stays empty (null): next-auth would try to parse "" as JSON.
  const bounded = new NextRequest(req.url, { method: "POST", headers: req.headers, body: read.bytes.byteLength ? read.bytes : null });
  if (nextauth.join("/") !== "callback/credentials") return nextAuth(bounded, ctx);

  const parsed = signInSchema.safeParse({ email: body.email, password: body.password });
  if (!parsed.success) {
    return jsonError(422, "VALIDATION", "Enter a valid email and password", { fieldErrors: fieldErrors(parsed.error) });
  }
  try {
    await assertSignInAllowed(parsed.data.email, clientIpOf(req));
  } catch (e) {
    return errorResponse(e, requestIdOf(req));
  }
  return nextAuth(bounded, ctx);
}
