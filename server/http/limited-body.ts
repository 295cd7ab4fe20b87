// Request bodies of plain route handlers, read with a size limit that holds for chunked
// uploads too. Checking Content-Length alone is not enough: with `Transfer-Encoding: chunked`
// there is none, and `req.formData()` would buffer whatever arrives (the review sent 800 MB).
// Here the body is wrapped in a stream that errors as soon as it passes the limit, so
// formData()/text() never hold more than `limit` bytes. Same idea as read-limited.ts (tRPC).

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * `body` passed through unchanged until more than `limit` bytes have gone by; then it errors
 * with BodyTooLargeError (which cancels the source) and calls `onCap`.
 */
export function capStream(body: ReadableStream<Uint8Array>, limit: number, onCap: () => void = () => {}): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen <= limit) return controller.enqueue(chunk);
        onCap();
        controller.error(new BodyTooLargeError(limit));
      },
    }),
  );
}

/** Content-Length when the request declares a valid one, else null (chunked, or garbage). */
function declaredLength(req: Request): number | null {
  const raw = req.headers.get("content-length");
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw);
}

export interface LimitedBody {
  /** The body to read (formData(), text(), arrayBuffer()), with the request's Content-Type. */
  body: Response;
  /** True once reading stopped at the limit. Body parsers may wrap the stream's error in their own, so ask this instead. */
  exceeded: () => boolean;
}

/** The request's body capped at `limit` bytes, or null when Content-Length already says it is larger (nothing is read). */
export function limitedBody(req: Request, limit: number): LimitedBody | null {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) return null;
  let exceeded = false;
  const stream = req.body ? capStream(req.body, limit, () => (exceeded = true)) : null;
  const headers = { "content-type": req.headers.get("content-type") ?? "application/octet-stream" };
  return { body: new Response(stream, { headers }), exceeded: () => exceeded };
}

export type LimitedForm = { ok: true; form: FormData } | { ok: false; reason: "too-large" | "malformed" };

/** The multipart (or urlencoded) form, or why not: over `limit` bytes (declared or counted), or unreadable. */
export async function readFormLimited(req: Request, limit: number): Promise<LimitedForm> {
  const limited = limitedBody(req, limit);
  if (!limited) return { ok: false, reason: "too-large" };
  try {
    return { ok: true, form: await limited.body.formData() };
  } catch {
    return { ok: false, reason: limited.exceeded() ? "too-large" : "malformed" };
  }
}

export type LimitedBytes = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: "too-large" | "malformed" };

/** The whole body as bytes, or why not: over `limit` bytes (declared or counted), or a stream that broke off. */
export async function readBytesLimited(req: Request, limit: number): Promise<LimitedBytes> {
  const limited = limitedBody(req, limit);
  if (!limited) return { ok: false, reason: "too-large" };
  try {
    return { ok: true, bytes: new Uint8Array(await limited.body.arrayBuffer()) };
  } catch {
    return { ok: false, reason: limited.exceeded() ? "too-large" : "malformed" };
  }
}
