// Worker side: POST one delivery, signed, and log the attempt. A non-2xx answer or a
// network error throws, so BullMQ retries with backoff; the last failure marks it FAILED.
//
// Sent with node:http(s) rather than fetch so that the connection's own DNS answer is checked
// (webhook-address.ts, guardedLookup): the address refused is the one that would be connected to.
import http from "node:http";
import https from "node:https";
import { type BlockList, isIP } from "node:net";
import type { Db } from "../db";
import { SIGNATURE_HEADER, signPayload } from "./webhook-signature";
import { UnrecoverableError } from "bullmq";
import { ALLOW_HINT, blockedAddressReason, guardedLookup, REFUSED_CODE, webhookHostOf } from "./webhook-address";

const TIMEOUT_MS = 10_000;

/** `allowed`: the private networks deliveries may reach (default: WEBHOOK_ALLOWED_NETWORKS). */
export async function deliverWebhook(db: Db, deliveryId: string, attempt: { number: number; max: number }, opts: { allowed?: BlockList } = {}): Promise<"delivered" | "skipped"> {
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { webhook: true } });
  if (!d || d.status === "SUCCEEDED") return "skipped";
  const body = JSON.stringify({ id: d.id, ...(d.payload as object) });
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let refused = false;
  try {
    statusCode = await postOnce(d.webhook.url, body, {
      "Content-Type": "application/json",
      "User-Agent": "SalesAgent-Webhooks/1",
      "X-SalesAgent-Event": d.event,
      "X-SalesAgent-Delivery": d.id,
      [SIGNATURE_HEADER]: signPayload(d.webhook.secret, body),
    }, opts.allowed);
    if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
  } catch (e) {
    refused = (e as NodeJS.ErrnoException).code === REFUSED_CODE;
    error = (e as Error).name === "TimeoutError" || (e as Error).name === "AbortError" ? `timed out after ${TIMEOUT_MS / 1000} s` : (e as Error).message;
  }
  const durationMs = Date.now() - started;
  // A refused address stays refused until the operator changes WEBHOOK_ALLOWED_NETWORKS: failed at once, not
  // retried with backoff to log the same refusal four more times.
  const final = !error || refused || attempt.number >= attempt.max;
  await db.$transaction([
    db.webhookAttempt.create({ data: { deliveryId: d.id, attempt: d.attempts + 1, statusCode, error, durationMs } }),
    db.webhookDelivery.update({
      where: { id: d.id },
      data: { attempts: { increment: 1 }, lastError: error, ...(error ? (final ? { status: "FAILED" } : {}) : { status: "SUCCEEDED", deliveredAt: new Date() }) },
    }),
  ]);
  if (error && refused) throw new UnrecoverableError(`webhook delivery refused: ${error}`);
  if (error) throw new Error(`webhook delivery failed: ${error}`);
  return "delivered";
}

/**
 * One POST; resolves with the status code. Redirects are not followed (a 3xx is a failed
 * delivery, as before), the answer's body is read and dropped, and the whole exchange is bounded
 * by TIMEOUT_MS.
 */
function postOnce(rawUrl: string, body: string, headers: Record<string, string>, allowed?: BlockList): Promise<number> {
  const url = new URL(rawUrl);
  const host = webhookHostOf(url);
  // Node asks `lookup` for host names only; an address written in the URL is checked here.
  const literal = isIP(host) ? blockedAddressReason(host, allowed) : null;
  if (literal) return Promise.reject(Object.assign(new Error(`refused: ${literal}; ${ALLOW_HINT}`), { code: REFUSED_CODE }));
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: "POST", headers: { ...headers, "Content-Length": Buffer.byteLength(body) }, lookup: guardedLookup(allowed), signal: AbortSignal.timeout(TIMEOUT_MS) }, (res) => {
      res.on("error", reject);
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.resume();
    });
    req.on("error", reject);
    req.end(body);
  });
}
