import type { Db } from "../server/db";
import type { Logger } from "../server/logger";

/** What every processor may use; built once in worker/index.ts. */
export interface WorkerDeps {
  db: Db;
  log: Logger;
  workerId: string;
}
