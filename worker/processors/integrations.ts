// integrations queue: signed webhook deliveries and HubSpot pushes.
import { UnrecoverableError, type Job } from "bullmq";
import { jobSchemas } from "../../server/queues/definitions";
import { deliverWebhook } from "../../server/integrations/deliver-webhook";
import { pushContactsToHubspot } from "../../server/integrations/hubspot-push";
import type { WorkerDeps } from "../deps";

export function integrationsProcessor(deps: WorkerDeps) {
  return async (job: Job) => {
    const attempt = { number: job.attemptsMade + 1, max: job.opts.attempts ?? 1 };
    switch (job.name) {
      case "deliver-webhook": {
        const p = jobSchemas.integrations.deliverWebhook.safeParse(job.data);
        if (!p.success) throw new UnrecoverableError(`invalid payload: ${p.error.message}`);
        return deliverWebhook(deps.db, p.data.deliveryId, attempt);
      }
      case "hubspot-push": {
        const p = jobSchemas.integrations.hubspotPush.safeParse(job.data);
        if (!p.success) throw new UnrecoverableError(`invalid payload: ${p.error.message}`);
        return pushContactsToHubspot(deps.db, p.data.contactIds, attempt);
      }
      default:
        throw new UnrecoverableError(`unknown integrations job "${job.name}"`);
    }
  };
}
