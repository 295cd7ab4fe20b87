import { createTRPCRouter, protectedProcedure } from "../trpc/init";
import { listScansInput, scanIdInput } from "./schemas";
import { getScan, listScans } from "./scan-status";

export const scansRouter = createTRPCRouter({
  get: protectedProcedure.input(scanIdInput).query(({ ctx, input }) => getScan(ctx.db, ctx.actor, input.id)),
  list: protectedProcedure.input(listScansInput).query(({ ctx, input }) => listScans(ctx.db, ctx.actor, input ?? {})),
});
