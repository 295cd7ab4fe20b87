// Admin management of outgoing webhooks and their delivery log.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { AppError, notFound } from "../errors";
import { enqueueWebhookDelivery } from "../queues/definitions";
import type { WebhookEvent } from "./emit-event";
import { assertWebhookTarget } from "./webhook-address";

export async function createWebhook(db: Db, input: { url: string; events: WebhookEvent[] }) {
  // Refused (422) when it points at a private, loopback or link-local address (webhook-address.ts).
  await assertWebhookTarget(input.url);
  // The signing secret is shown to the admin so the receiver can verify signatures.
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return db.webhook.create({ data: { url: input.url, events: input.events, secret } });
}

export function listWebhooks(db: Db) {
  return db.webhook.findMany({ orderBy: { createdAt: "desc" } });
}

export async function deleteWebhook(db: Db, id: string) {
  const r = await db.webhook.deleteMany({ where: { id } });
  if (!r.count) throw notFound("Webhook");
  return { ok: true as const };
}

export async function listDeliveries(db: Db, webhookId: string) {
  return db.webhookDelivery.findMany({
    where: { webhookId },
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { log: { orderBy: { attempt: "asc" } } },
  });
}

export async function redeliver(db: Db, deliveryId: string) {
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!d) throw notFound("Delivery");
  await db.webhookDelivery.update({ where: { id: d.id }, data: { status: "PENDING" } });
  try {
    await enqueueWebhookDelivery(d.id, d.attempts + 1);
  } catch (cause) {
    throw new AppError("UNAVAILABLE", "The job queue is unavailable. Try again shortly.", { cause, retryAfter: 5 });
  }
  return { ok: true as const };
}
