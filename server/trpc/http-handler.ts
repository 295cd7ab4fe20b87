// The tRPC HTTP endpoint, independent of Next: app/api/trpc passes the signed-in actor,
// tests pass one directly. Sets x-request-id and Retry-After; logs masked 500s.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root";
import { createContext, type Actor } from "./context";
import { appCodeOf } from "./error-mapping";
import { AppError } from "../errors";
import { logger } from "../logger";
import { jsonError } from "../http/error-response";
import { readLimited } from "../http/read-limited";

export const TRPC_MAX_BODY_BYTES = 1_000_000;

export async function handleTrpcRequest(req: Request, opts: { actor: Actor | null; requestId: string; ip: string; endpoint?: string }): Promise<Response> {
  const { requestId } = opts;
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > TRPC_MAX_BODY_BYTES) return jsonError(413, "BAD_REQUEST", "Request body is too large");
  if (req.body) {
    // A chunked body declares no length: count it while reading, so it cannot grow past the limit either.
    const body = await readLimited(req.body as unknown as AsyncIterable<Uint8Array>, TRPC_MAX_BODY_BYTES);
    if (!body) return jsonError(413, "BAD_REQUEST", "Request body is too large");
    req = new Request(req.url, { method: req.method, headers: req.headers, body });
  }
  return fetchRequestHandler({
    endpoint: opts.endpoint ?? "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ actor: opts.actor, requestId, ip: opts.ip }),
    onError({ error, path }) {
      const code = appCodeOf(error);
      if (code === "INTERNAL") {
        logger.error({ requestId, path, err: { message: error.message, stack: error.stack, cause: String(error.cause) } }, "trpc internal error");
        return;
      }
      // One line per refused call (403, 404, 409, 422, 429…), so an operator can see who was refused what
      // without a proxy's access log; successful calls are not logged (the hot paths would pay for it).
      // A 401 is debug: a tab left open after its session ended polls every few seconds.
      const line = { requestId, path, code, userId: opts.actor?.id ?? null, ip: opts.ip, message: error.message.slice(0, 200) };
      if (code === "UNAUTHORIZED") logger.debug(line, "trpc call refused");
      else logger.info(line, "trpc call refused");
    },
    responseMeta({ errors }) {
      const headers = new Headers({ "x-request-id": requestId });
      const retry = errors.map((e) => (e.cause instanceof AppError ? e.cause.retryAfter : undefined)).find((r) => r !== undefined);
      if (retry !== undefined) headers.set("Retry-After", String(retry));
      return { headers };
    },
  });
}
