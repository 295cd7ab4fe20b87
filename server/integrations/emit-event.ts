// Domain events for outgoing webhooks: one delivery row per subscribed webhook, then one
// job each. Emitting never fails the caller's action: a queue outage is logged, and the
// PENDING rows can be redelivered from the log.
import type { Db } from "../db";
import { Prisma } from "../db";
import { logger } from "../logger";
import { enqueueWebhookDelivery } from "../queues/definitions";

export const WEBHOOK_EVENTS = ["contact.created", "contact.updated", "campaign.finished"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export async function emitEvent(db: Db, event: WebhookEvent, data: Record<string, unknown>): Promise<number> {
  try {
    const hooks = await db.webhook.findMany({ where: { active: true, events: { has: event } }, select: { id: true } });
    for (const h of hooks) {
      const delivery = await db.webhookDelivery.create({
        data: { webhookId: h.id, event, payload: { event, createdAt: new Date().toISOString(), data } as Prisma.InputJsonValue },
      });
      await enqueueWebhookDelivery(delivery.id);
    }
    return hooks.length;
  } catch (err) {
    logger.warn({ event, err: String(err) }, "webhook event not queued");
    return 0;
  }
}

/** The contact as webhooks and CRMs see it. */
export function contactPayload(c: { id: string; fullName: string; title: string | null; company: string | null; email: string | null; phone: string | null; website: string | null; address: string | null; source: string; ownerId: string; createdAt: Date; updatedAt: Date }) {
  return { id: c.id, fullName: c.fullName, title: c.title, company: c.company, email: c.email, phone: c.phone, website: c.website, address: c.address, source: c.source, ownerId: c.ownerId, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}
