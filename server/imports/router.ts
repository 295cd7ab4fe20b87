import { createTRPCRouter, protectedProcedure } from "../trpc/init";
import { idInput } from "../contacts/schemas";
import { getImport, listImports } from "./get-import";
import { undoImport } from "./undo-import";

export const importsRouter = createTRPCRouter({
  get: protectedProcedure.input(idInput).query(({ ctx, input }) => getImport(ctx.db, ctx.actor, input.id)),
  list: protectedProcedure.query(({ ctx }) => listImports(ctx.db, ctx.actor)),
  undo: protectedProcedure.input(idInput).mutation(({ ctx, input }) => undoImport(ctx.db, ctx.actor, input.id)),
});
