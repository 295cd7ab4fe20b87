import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc/init";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
import { latestHeartbeatAge } from "../queues/heartbeat";
import { createPing, getPing } from "./ping";
import { enqueueDraftCleanup } from "../queues/definitions";
import { AppError } from "../errors";
import { entityId } from "../validation/entity-id";

export const systemRouter = createTRPCRouter({
  /** Polled by the dashboard's "worker online / offline" badge. */
  workerStatus: protectedProcedure.query(async () => {
    const env = getEnv();
    const age = await getReadyRedis().then((r) => latestHeartbeatAge(r, env.QUEUE_PREFIX)).catch(() => null);
    return { online: age !== null && age <= env.WORKER_HEARTBEAT_MAX_AGE_MS, lastHeartbeatAgeMs: age };
  }),
  me: protectedProcedure.query(({ ctx }) => ctx.actor),
  ping: adminProcedure.mutation(({ ctx }) => createPing(ctx.db)),
  /** Runs the hourly draft cleanup now (for admins and tests). */
  runCleanup: adminProcedure.mutation(async () => {
    try {
      return { jobId: await enqueueDraftCleanup() };
    } catch (cause) {
      throw new AppError("UNAVAILABLE", "The job queue is unavailable. Try again shortly.", { cause, retryAfter: 5 });
    }
  }),
  pingStatus: adminProcedure.input(z.object({ id: entityId() })).query(({ ctx, input }) => getPing(ctx.db, input.id)),
});
