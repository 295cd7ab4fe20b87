// The ping round trip: web writes a row and enqueues a job; the worker stamps the row.
// Proves web → Redis → worker → PostgreSQL end to end.
import type { Db } from "../db";
import { enqueuePing } from "../queues/definitions";
import { AppError, notFound } from "../errors";

export async function createPing(db: Db): Promise<{ id: string }> {
  const row = await db.workerPing.create({ data: {} });
  try {
    await enqueuePing(row.id);
  } catch (e) {
    await db.workerPing.delete({ where: { id: row.id } }).catch(() => {});
    throw new AppError("UNAVAILABLE", "The job queue is unavailable. Try again shortly.", { cause: e, retryAfter: 5 });
  }
  return { id: row.id };
}

export async function getPing(db: Db, id: string) {
  const row = await db.workerPing.findUnique({ where: { id } });
  if (!row) throw notFound("Ping");
  return { id: row.id, done: row.processedAt !== null, processedAt: row.processedAt, workerId: row.workerId };
}

/** Worker side: stamp the row once; a re-delivered job changes nothing. */
export async function completePing(db: Db, id: string, workerId: string): Promise<boolean> {
  const r = await db.workerPing.updateMany({ where: { id, processedAt: null }, data: { processedAt: new Date(), workerId } });
  return r.count === 1;
}
