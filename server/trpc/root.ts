// The app's router: one sub-router per feature.
import { createCallerFactory, createTRPCRouter } from "./init";
import { systemRouter } from "../system/router";
import { usersRouter } from "../users/router";
import { scansRouter } from "../cards/router";
import { draftsRouter } from "../drafts/router";
import { queuesRouter } from "../queue-admin/router";

export const appRouter = createTRPCRouter({
  system: systemRouter,
  users: usersRouter,
  scans: scansRouter,
  drafts: draftsRouter,
  queues: queuesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
