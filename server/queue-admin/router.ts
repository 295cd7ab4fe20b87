import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "../trpc/init";
import { listFailedJobs, queueNameSchema, queueOverview, removeFailedJob, retryFailedJob } from "./queue-overview";

const jobRef = z.object({ queue: queueNameSchema, id: z.string().min(1).max(200) });

export const queuesRouter = createTRPCRouter({
  overview: adminProcedure.query(() => queueOverview()),
  failed: adminProcedure.input(z.object({ queue: queueNameSchema, limit: z.number().int().min(1).max(200).optional() })).query(({ input }) => listFailedJobs(input.queue, input.limit)),
  retry: adminProcedure.input(jobRef).mutation(({ ctx, input }) => retryFailedJob(ctx.db, input.queue, input.id)),
  remove: adminProcedure.input(jobRef).mutation(({ input }) => removeFailedJob(input.queue, input.id)),
});
