// Worker side: POST one delivery, signed, and log the attempt. A non-2xx answer or a
// network error throws, so BullMQ retries with backoff; the last failure marks it FAILED.
import type { Db } from "../db";
import { SIGNATURE_HEADER, signPayload } from "./webhook-signature";

const TIMEOUT_MS = 10_000;

export async function deliverWebhook(db: Db, deliveryId: string, attempt: { number: number; max: number }): Promise<"delivered" | "skipped"> {
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { webhook: true } });
  if (!d || d.status === "SUCCEEDED") return "skipped";
  const body = JSON.stringify({ id: d.id, ...(d.payload as object) });
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(d.webhook.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "SalesAgent-Webhooks/1",
        "X-SalesAgent-Event": d.event,
        "X-SalesAgent-Delivery": d.id,
        [SIGNATURE_HEADER]: signPayload(d.webhook.secret, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    statusCode = res.status;
    await res.body?.cancel().catch(() => {});
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (e) {
    error = (e as Error).name === "TimeoutError" ? `timed out after ${TIMEOUT_MS / 1000} s` : (e as Error).message;
  }
  const durationMs = Date.now() - started;
  const final = !error || attempt.number >= attempt.max;
  await db.$transaction([
    db.webhookAttempt.create({ data: { deliveryId: d.id, attempt: d.attempts + 1, statusCode, error, durationMs } }),
    db.webhookDelivery.update({
      where: { id: d.id },
      data: { attempts: { increment: 1 }, lastError: error, ...(error ? (final ? { status: "FAILED" } : {}) : { status: "SUCCEEDED", deliveredAt: new Date() }) },
    }),
  ]);
  if (error) throw new Error(`webhook delivery failed: ${error}`);
  return "delivered";
}
