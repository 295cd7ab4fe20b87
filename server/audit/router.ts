import { adminProcedure, createTRPCRouter } from "../trpc/init";
import { listAudit } from "./list-audit";
import { listAuditInput } from "./schemas";

export const auditRouter = createTRPCRouter({
  list: adminProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.db, input)),
});
