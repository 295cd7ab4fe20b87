// Maintenance queue: small housekeeping jobs (ping round trip; the hourly cleanup of expired drafts and of old
// bookkeeping rows).
import { UnrecoverableError, type Job } from "bullmq";
import { jobSchemas } from "../../server/queues/definitions";
import { completePing } from "../../server/system/ping";
import { cleanupExpiredDrafts } from "../../server/drafts/cleanup-expired-drafts";
import { pruneOldRecords } from "../../server/system/prune-old-records";
import { getStorage } from "../../server/storage";
import type { WorkerDeps } from "../deps";

export function maintenanceProcessor(deps: WorkerDeps) {
  return async (job: Job) => {
    switch (job.name) {
      case "ping": {
        const parsed = jobSchemas.maintenance.ping.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid ping payload: ${parsed.error.message}`);
        const stamped = await completePing(deps.db, parsed.data.pingId, deps.workerId);
        return { stamped };
      }
      case "cleanup-drafts": {
        const removed = await cleanupExpiredDrafts(deps.db, getStorage());
        deps.log.info({ jobId: job.id, ...removed }, "expired drafts cleaned up");
        // The same hourly job prunes bookkeeping rows past their retention (server/system/prune-old-records.ts).
        const pruned = await pruneOldRecords(deps.db);
        deps.log.info({ jobId: job.id, ...pruned }, "old bookkeeping rows pruned");
        return { ...removed, pruned };
      }
      default:
        throw new UnrecoverableError(`unknown maintenance job "${job.name}"`);
    }
  };
}
