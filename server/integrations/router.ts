import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "../trpc/init";
import { WEBHOOK_EVENTS } from "./emit-event";
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, redeliver } from "./manage-webhooks";
import { hubspotStatus, saveHubspotToken, setAutoPush } from "./hubspot-settings";
import { requestHubspotPush } from "./hubspot-push";
import { entityId } from "../validation/entity-id";

const id = z.object({ id: entityId() });

// Webhook receivers must be http(s) URLs; credentials in the URL would end up in logs. Control characters (a NUL
// PostgreSQL refuses) are refused, and each check stops at the first failure, so "not a url" is a 422 naming the
// field rather than the second check's `new URL()` throwing (hostile review).
const parsedUrl = (u: string) => {
  try {
    return new URL(u);
  } catch {
    return null;
  }
};
const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  // eslint-disable-next-line no-control-regex
  .refine((u) => !/[\u0000-\u001f\u007f]/.test(u), { message: "Remove the control characters from the URL", abort: true })
  .refine((u) => parsedUrl(u) !== null, { message: "Not a valid URL", abort: true })
  .refine((u) => /^https?:\/\//i.test(u), { message: "Use an http(s) URL", abort: true })
  .refine((u) => !parsedUrl(u)!.username && !parsedUrl(u)!.password, "Put no credentials in the URL; verify the signature instead");

export const integrationsRouter = createTRPCRouter({
  webhooks: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listWebhooks(ctx.db)),
    create: adminProcedure
      .input(z.object({ url: webhookUrl, events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, "Pick at least one event") }))
      .mutation(({ ctx, input }) => createWebhook(ctx.db, { url: input.url, events: [...new Set(input.events)] })),
    delete: adminProcedure.input(id).mutation(({ ctx, input }) => deleteWebhook(ctx.db, input.id)),
    deliveries: adminProcedure.input(id).query(({ ctx, input }) => listDeliveries(ctx.db, input.id)),
    redeliver: adminProcedure.input(id).mutation(({ ctx, input }) => redeliver(ctx.db, input.id)),
  }),
  hubspot: createTRPCRouter({
    status: adminProcedure.query(({ ctx }) => hubspotStatus(ctx.db)),
    saveToken: adminProcedure.input(z.object({ token: z.string().trim().min(10).max(500) })).mutation(({ ctx, input }) => saveHubspotToken(ctx.db, input.token)),
    clearToken: adminProcedure.mutation(({ ctx }) => saveHubspotToken(ctx.db, null)),
    setAutoPush: adminProcedure.input(z.object({ enabled: z.boolean() })).mutation(({ ctx, input }) => setAutoPush(ctx.db, input.enabled)),
    push: adminProcedure
      .input(z.union([z.object({ contactIds: z.array(entityId()).min(1).max(10_000) }), z.object({ all: z.literal(true) })]))
      .mutation(({ ctx, input }) => requestHubspotPush(ctx.db, "all" in input ? { all: true } : { contactIds: input.contactIds })),
    retryFailed: adminProcedure.mutation(({ ctx }) => requestHubspotPush(ctx.db, { failedOnly: true })),
    contacts: adminProcedure
      .input(z.object({ state: z.enum(["never", "pending", "synced", "failed"]).optional(), ids: z.array(entityId()).max(500).optional() }).optional())
      .query(({ ctx, input }) =>
        ctx.db.contact.findMany({
          where: { ...(input?.state ? { crmSyncState: input.state } : {}), ...(input?.ids ? { id: { in: input.ids } } : {}) },
          orderBy: { updatedAt: "desc" },
          take: 100,
          select: { id: true, fullName: true, company: true, email: true, hubspotId: true, crmSyncState: true, crmSyncError: true, crmSyncedAt: true },
        }),
      ),
  }),
});
