// Domain events for outgoing webhooks: one delivery row per subscribed webhook and event, then
// one job each (one event from an API call, or a chunk's worth from an import). Emitting never fails the caller's action: a queue outage is logged, and the
// PENDING rows can be redelivered from the log.
import type { Db } from "../db";
import { Prisma } from "../db";
import { logger } from "../logger";
import { enqueueWebhookDeliveries } from "../queues/definitions";
import { readOtherPhones } from "../contacts/other-phones";

import { WEBHOOK_EVENTS, type ContactDeletedReason, type WebhookEvent } from "./webhook-events";

export { WEBHOOK_EVENTS, type WebhookEvent };

export async function emitEvent(db: Db, event: WebhookEvent, data: Record<string, unknown>): Promise<number> {
  try {
    const hooks = await subscribedWebhookIds(db, event);
    await enqueueDeliveries(await createDeliveries(db, hooks, event, [data]));
    return hooks.length;
  } catch (err) {
    logger.warn({ event, err: String(err) }, "webhook event not queued");
    return 0;
  }
}

/** Active webhooks subscribed to an event (inside the caller's transaction when given one). */
export async function subscribedWebhookIds(db: Db | Prisma.TransactionClient, event: WebhookEvent): Promise<string[]> {
  return (await db.webhook.findMany({ where: { active: true, events: { has: event } }, select: { id: true } })).map((h) => h.id);
}

/**
 * Delivery rows for many events of one kind, written in the caller's transaction so they
 * commit (or roll back) with the rows they describe: an import chunk retried after a crash
 * neither loses nor repeats its events. Returns the ids to enqueue once the transaction has
 * committed (enqueueDeliveries).
 */
export async function createDeliveries(tx: Db | Prisma.TransactionClient, webhookIds: string[], event: WebhookEvent, data: Record<string, unknown>[]): Promise<string[]> {
  if (!webhookIds.length || !data.length) return [];
  const createdAt = new Date().toISOString();
  const rows = await tx.webhookDelivery.createManyAndReturn({
    data: webhookIds.flatMap((webhookId) => data.map((d) => ({ webhookId, event, payload: { event, createdAt, data: d } as Prisma.InputJsonValue }))),
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Queues committed deliveries; like emitEvent, a queue outage is logged, the rows stay PENDING. */
export async function enqueueDeliveries(deliveryIds: string[]): Promise<void> {
  if (!deliveryIds.length) return;
  try {
    await enqueueWebhookDeliveries(deliveryIds);
  } catch (err) {
    logger.warn({ deliveries: deliveryIds.length, err: String(err) }, "webhook deliveries not queued");
  }
}

/** The columns contactPayload reads. */
export const CONTACT_PAYLOAD_SELECT = { id: true, fullName: true, title: true, company: true, email: true, phone: true, otherPhones: true, website: true, address: true, source: true, ownerId: true, createdAt: true, updatedAt: true } as const;

/** The contact as webhooks and CRMs see it. `otherPhones` is always a list ([{type, e164}], empty when none). */
export function contactPayload(c: { id: string; fullName: string; title: string | null; company: string | null; email: string | null; phone: string | null; otherPhones: unknown; website: string | null; address: string | null; source: string; ownerId: string; createdAt: Date; updatedAt: Date }) {
  return { id: c.id, fullName: c.fullName, title: c.title, company: c.company, email: c.email, phone: c.phone, otherPhones: readOtherPhones(c.otherPhones), website: c.website, address: c.address, source: c.source, ownerId: c.ownerId, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}

/** A contact.deleted event's data: the contact as it was, why it went, and where to for a merge. */
export function deletedPayload(c: Parameters<typeof contactPayload>[0], reason: ContactDeletedReason, mergedInto?: string) {
  return { contact: contactPayload(c), reason, ...(mergedInto ? { mergedInto } : {}) };
}

/** The columns a DELETE … RETURNING gives contactPayload (SQL names; pg returns them as contactPayload reads them). */
export const CONTACT_PAYLOAD_RETURNING = Prisma.raw(
  `"id"::text AS "id", "fullName", "title", "company", "email", "phone", "otherPhones", "website", "address", "source"::text AS "source", "ownerId"::text AS "ownerId", "createdAt", "updatedAt"`,
);
export type ReturnedContact = Parameters<typeof contactPayload>[0];

