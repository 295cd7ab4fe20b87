// The app's router: one sub-router per feature.
import { createCallerFactory, createTRPCRouter } from "./init";
import { systemRouter } from "../system/router";
import { usersRouter } from "../users/router";

export const appRouter = createTRPCRouter({
  system: systemRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
