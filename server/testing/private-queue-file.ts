// A test file's own database and queue prefix, for code under test that reads every unfinished row or takes
// whatever job is next (the lost-job recovery). Call before the app's modules load: DATABASE_URL and
// QUEUE_PREFIX are read once per process. `cleanUp` (for afterAll) deletes the prefix's keys, closes the
// connections and drops the database.
import { usePrivateDatabase } from "./private-database";
import { filePrefix } from "../faults/fault-helpers";

export async function usePrivateDatabaseAndPrefix(suffix: string): Promise<{ prefix: string; cleanUp: () => Promise<void> }> {
  const privateDb = await usePrivateDatabase(suffix);
  const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", suffix);
  process.env.QUEUE_PREFIX = prefix;
  const cleanUp = async () => {
    const { getReadyRedis, closeRedis, deleteKeysMatching } = await import("../redis");
    const { closeQueues } = await import("../queues/definitions");
    const { closeDb } = await import("../db");
    await deleteKeysMatching(await getReadyRedis(), `${prefix}*`).catch(() => {});
    await closeQueues().catch(() => {});
    await closeRedis().catch(() => {});
    await closeDb().catch(() => {});
    await privateDb.drop();
  };
  return { prefix, cleanUp };
}
