// The app's router: one sub-router per feature.
import { createCallerFactory, createTRPCRouter } from "./init";
import { systemRouter } from "../system/router";
import { usersRouter } from "../users/router";
import { contactsRouter } from "../contacts/router";
import { importsRouter } from "../imports/router";
import { scansRouter } from "../cards/router";
import { draftsRouter } from "../drafts/router";
import { campaignsRouter } from "../campaigns/router";
import { queuesRouter } from "../queue-admin/router";
import { telegramRouter } from "../telegram/router";
import { integrationsRouter } from "../integrations/router";
import { dashboardRouter } from "../dashboard/router";
import { auditRouter } from "../audit/router";

export const appRouter = createTRPCRouter({
  system: systemRouter,
  users: usersRouter,
  contacts: contactsRouter,
  imports: importsRouter,
  scans: scansRouter,
  drafts: draftsRouter,
  campaigns: campaignsRouter,
  queues: queuesRouter,
  telegram: telegramRouter,
  integrations: integrationsRouter,
  dashboard: dashboardRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
