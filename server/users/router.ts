import { adminProcedure, createTRPCRouter } from "../trpc/init";
import { createUserInput, setRoleInput } from "./schemas";
import { createUser, listUsers, setUserRole } from "./manage-users";

export const usersRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx.db, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setUserRole(ctx.db, ctx.actor, input.id, input.role)),
});
