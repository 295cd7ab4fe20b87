// next-auth's handler, with a guard in front of the credentials callback: the body is
// validated (clear 4xx for empty or oversized fields) and the Redis-backed failure
// limit answers 429 with Retry-After before any password is checked.
import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";
import { signInSchema } from "@/server/auth/schemas";
import { assertSignInAllowed } from "@/server/auth/sign-in-limiter";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { fieldErrors } from "@/server/trpc/error-mapping";
import { clientIpOf, requestIdOf } from "@/server/http/request-meta";

export const dynamic = "force-dynamic";

type RouteCtx = { params: Promise<{ nextauth: string[] }> };
const MAX_BODY_BYTES = 16_384;

type Handler = (r: Request, c: RouteCtx) => Promise<Response>;
let handler: Handler | undefined;

function nextAuth(req: Request, ctx: RouteCtx) {
  // Built once per process; next-auth v4 reads the route segments from the second argument.
  handler ??= NextAuth(getAuthOptions()) as unknown as Handler;
  return handler(req, ctx);
}

export async function GET(req: Request, ctx: RouteCtx) {
  return nextAuth(req, ctx);
}

export async function POST(req: Request, ctx: RouteCtx) {
  const { nextauth } = await ctx.params;
  if (nextauth.join("/") !== "callback/credentials") return nextAuth(req, ctx);

  const requestId = requestIdOf(req);
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return jsonError(413, "BAD_REQUEST", "Sign-in request is too large");
  }
  let body: Record<string, string>;
  try {
    const text = await req.clone().text();
    if (text.length > MAX_BODY_BYTES) return jsonError(413, "BAD_REQUEST", "Sign-in request is too large");
    const type = req.headers.get("content-type") ?? "";
    body = type.includes("application/json") ? (JSON.parse(text) as Record<string, string>) : Object.fromEntries(new URLSearchParams(text));
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
  } catch {
    return jsonError(400, "BAD_REQUEST", "Malformed sign-in request");
  }
  const parsed = signInSchema.safeParse({ email: body.email, password: body.password });
  if (!parsed.success) {
    return jsonError(422, "VALIDATION", "Enter a valid email and password", { fieldErrors: fieldErrors(parsed.error) });
  }
  try {
    await assertSignInAllowed(parsed.data.email, clientIpOf(req));
  } catch (e) {
    return errorResponse(e, requestId);
  }
  return nextAuth(req, ctx);
}
