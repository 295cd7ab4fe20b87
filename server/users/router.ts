import { adminProcedure, createTRPCRouter } from "../trpc/init";
import { createUserInput, handOverCardsInput, setDisabledInput, setPasswordInput, setRoleInput } from "./schemas";
import { createUser, listUsers, setUserDisabled, setUserPassword, setUserRole } from "./manage-users";
import { handOverCards } from "./hand-over-cards";

export const usersRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx.db, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setUserRole(ctx.db, ctx.actor, input.id, input.role)),
  setDisabled: adminProcedure.input(setDisabledInput).mutation(({ ctx, input }) => setUserDisabled(ctx.db, ctx.actor, input.id, input.disabled)),
  setPassword: adminProcedure.input(setPasswordInput).mutation(({ ctx, input }) => setUserPassword(ctx.db, input.id, input.password)),
  handOverCards: adminProcedure.input(handOverCardsInput).mutation(({ ctx, input }) => handOverCards(ctx.db, input.id, input.toId)),
});
