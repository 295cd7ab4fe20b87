// Contact import queue: parse the payload, run the import from the database row.
import { UnrecoverableError, type Job } from "bullmq";
import { jobSchemas } from "../../server/queues/definitions";
import { finish, runImport } from "../../server/imports/run-import";
import type { WorkerDeps } from "../deps";

export function importProcessor(deps: WorkerDeps) {
  return async (job: Job) => {
    const parsed = jobSchemas.imports.importContacts.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid import payload: ${parsed.error.message}`);
    const { importId } = parsed.data;
    try {
      return await runImport(deps.db, importId, { log: deps.log.child({ importId }) });
    } catch (err) {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      deps.log.error({ importId, err: err instanceof Error ? err.message : String(err), last }, "import failed");
      // The row is the status the UI polls: mark it failed once no retry is left.
      if (last) await finish(deps.db, importId, "FAILED", "The import stopped on an unexpected error; the rows already imported are kept").catch(() => {});
      throw err;
    }
  };
}
