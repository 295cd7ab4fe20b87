// Contact import queue: parse the payload, run the import from the database row.
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { postponeJob } from "../postpone-job";
import { jobSchemas } from "../../server/queues/definitions";
import { finish, runImport } from "../../server/imports/run-import";
import type { WorkerDeps } from "../deps";

/**
 * `isStopping`: the worker is shutting down. The import then stops after the chunk it is writing and its job goes
 * back to the queue at once, without using an attempt, for the next worker to resume at processedRows. Before, it ran
 * on past the shutdown bound and was abandoned mid-chunk; BullMQ gave it back only as a stalled job, and a second
 * restart failed it for good, half imported (hostile review).
 */
export function importProcessor(deps: WorkerDeps, isStopping: () => boolean = () => false) {
  return async (job: Job, token?: string) => {
    const parsed = jobSchemas.imports.importContacts.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid import payload: ${parsed.error.message}`);
    const { importId } = parsed.data;
    try {
      const result = await runImport(deps.db, importId, { log: deps.log.child({ importId }), isStopping: () => isStopping() && !!token });
      if (result.status === "stopped" && token) {
        deps.log.info({ importId, jobId: job.id }, "import handed back: the worker is shutting down");
        return await postponeJob(job, token, 0);
      }
      return result;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      deps.log.error({ importId, err: err instanceof Error ? err.message : String(err), last }, "import failed");
      // The row is the status the UI polls: mark it failed once no retry is left.
      if (last) await finish(deps.db, importId, "FAILED", "The import stopped on an unexpected error; the rows already imported are kept").catch(() => {});
      throw err;
    }
  };
}
