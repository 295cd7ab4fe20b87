import { createTRPCRouter, protectedProcedure } from "../trpc/init";
import { dashboardSummary } from "./dashboard-summary";

export const dashboardRouter = createTRPCRouter({
  summary: protectedProcedure.query(({ ctx }) => dashboardSummary(ctx.db, ctx.actor)),
});
