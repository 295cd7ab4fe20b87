import { createTRPCRouter, protectedProcedure } from "../trpc/init";
import { AppError } from "../errors";
import { telegramConfig } from "./config";
import { createLinkCode, linkStatus, unlinkUser } from "./link-codes";

export const telegramRouter = createTRPCRouter({
  status: protectedProcedure.query(({ ctx }) => linkStatus(ctx.db, ctx.actor)),
  createLinkCode: protectedProcedure.mutation(({ ctx }) => {
    if (!telegramConfig()) throw new AppError("CONFLICT", "The Telegram bot is not configured on this server (TELEGRAM_BOT_TOKEN).");
    return createLinkCode(ctx.db, ctx.actor);
  }),
  unlink: protectedProcedure.mutation(({ ctx }) => unlinkUser(ctx.db, ctx.actor)),
});
