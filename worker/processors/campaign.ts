// Campaign queue: "prepare" fans out the recipients, "batch" sends one chunk of them.
// Both are idempotent: the recipient rows decide what is sent (docs/campaigns.md).
import { UnrecoverableError, type Job } from "bullmq";
import { enqueueCampaignBatches, enqueueCampaignPrepare, jobSchemas } from "../../server/queues/definitions";
import { getMailTransport } from "../../server/mail/transport";
import { getRedis } from "../../server/redis";
import { queuePrefix } from "../../server/queues/connection";
import { runFanout } from "../../server/campaigns/fan-out";
import { runBatch } from "../../server/campaigns/send-batch";
import { createSendLimiter, type SendLimiter } from "../../server/campaigns/rate-limit";
import { campaignSettings } from "../../server/campaigns/settings";
import { startCampaignSupervisor, type Supervisor } from "../../server/campaigns/supervisor";
import type { WorkerDeps } from "../deps";

/** The supervisor timer plus a "stop claiming" flag, started with the worker. */
export function campaignSupervisor(deps: WorkerDeps): Supervisor {
  return startCampaignSupervisor(deps.db, { log: deps.log.child({ component: "campaign-supervisor" }), enqueuePrepare: enqueueCampaignPrepare, enqueueBatches: enqueueCampaignBatches });
}

export function campaignProcessor(deps: WorkerDeps, supervisor: Supervisor) {
  let limiter: SendLimiter | undefined;
  const getLimiter = () => (limiter ??= createSendLimiter(getRedis(), queuePrefix(), campaignSettings().ratePerSec));
  return async (job: Job) => {
    switch (job.name) {
      case "prepare": {
        const p = jobSchemas.campaign.prepare.safeParse(job.data);
        if (!p.success) throw new UnrecoverableError(`invalid prepare payload: ${p.error.message}`);
        return runFanout(deps.db, p.data.campaignId, { log: deps.log.child({ campaignId: p.data.campaignId }), enqueueBatches: enqueueCampaignBatches });
      }
      case "batch": {
        const p = jobSchemas.campaign.batch.safeParse(job.data);
        if (!p.success) throw new UnrecoverableError(`invalid batch payload: ${p.error.message}`);
        return runBatch(deps.db, p.data, {
          workerId: deps.workerId,
          log: deps.log.child({ campaignId: p.data.campaignId, batchNo: p.data.batchNo }),
          transport: getMailTransport(),
          limiter: getLimiter(),
          isStopping: supervisor.stopping,
          enqueueBatches: enqueueCampaignBatches,
        });
      }
      default:
        throw new UnrecoverableError(`unknown campaign job "${job.name}"`);
    }
  };
}
