// The bot's behaviour: /start <code> links a chat, /stop unlinks it, a photo (or an image
// sent as a file) becomes a scan, text becomes a draft, all through the same pipeline as
// the web upload. An unlinked chat gets instructions and nothing is stored.
import { Bot, InlineKeyboard, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Db } from "../db";
import { getStorage } from "../storage";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { logger } from "../logger";
import { uploadCards } from "../cards/upload-cards";
import { MAX_FILE_BYTES } from "../cards/image-rules";
import { draftFromText } from "../drafts/draft-from-text";
import type { TelegramConfig } from "./config";
import { consumeLinkCode, linkedUserForChat, unlinkChat } from "./link-codes";
import { downloadTelegramFile } from "./download-file";
import { consumeLimit } from "../abuse/limits";

export const MESSAGES = {
  notLinked: "This chat is not linked to a Sales Agent account yet. Open your profile in Sales Agent, press “Link Telegram”, and send me the /start link it shows.",
  badCode: "That link code is invalid or has expired. Make a new one on your profile page.",
  stopped: "Unlinked. I will not accept cards from this chat any more. Link again from your profile page.",
  tooLarge: `That file is too large. Send a photo under ${MAX_FILE_BYTES / 1048576} MB.`,
  notImage: "I can only read photos of business cards (JPEG, PNG, WebP, AVIF or TIFF).",
  reading: "Got it, reading the card…",
};

function botInfo(cfg: TelegramConfig): UserFromGetMe {
  // Preset so that handling a webhook never costs a getMe round trip.
  return {
    id: Number(cfg.token.split(":")[0]),
    is_bot: true,
    first_name: "Sales Agent",
    username: cfg.botUsername ?? "sales_agent_bot",
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as UserFromGetMe;
}

/**
 * A reply once the scan or draft is written. Its failure (Telegram's 429, a network blip) must not fail the update:
 * the user would be told "send it again", and the second message would make a second draft (hostile review).
 */
async function replyAfterWrite(ctx: Context, text: string, other?: Parameters<Context["reply"]>[1]): Promise<void> {
  await ctx.reply(text, other).catch((err: unknown) => logger.warn({ err: String(err), updateId: ctx.update.update_id }, "telegram reply not sent"));
}

export function reviewKeyboard(cfg: TelegramConfig, draftId: string) {
  return new InlineKeyboard().url("Review in Sales Agent", `${cfg.appUrl}/drafts/${draftId}`);
}

export function createBot(db: Db, cfg: TelegramConfig): Bot {
  const bot = new Bot(cfg.token, { botInfo: botInfo(cfg), client: { apiRoot: cfg.apiRoot } });

  bot.command("start", async (ctx) => {
    const code = ctx.match.trim();
    if (!code) return void (await ctx.reply(MESSAGES.notLinked));
    const user = await consumeLinkCode(db, code, BigInt(ctx.chat.id), ctx.from?.username ?? null);
    await ctx.reply(user ? `Linked to ${user.name} (${user.email}). Send me a photo of a business card, or paste a signature.` : MESSAGES.badCode);
  });

  bot.command("stop", async (ctx) => {
    await unlinkChat(db, BigInt(ctx.chat.id));
    await ctx.reply(MESSAGES.stopped);
  });

  // Everything else needs a linked chat and stays under the per-chat rate limit.
  bot.use(async (ctx, next) => {
    if (!ctx.chat || !ctx.message) return;
    const user = await linkedUserForChat(db, BigInt(ctx.chat.id));
    if (!user) return void (await ctx.reply(MESSAGES.notLinked));
    try {
      await consumeLimit("telegramChat", String(ctx.chat.id));
    } catch (e) {
      if (e instanceof AppError && e.code === "RATE_LIMITED") return void (await ctx.reply(`Too many messages. Try again in ${e.retryAfter} s.`));
      throw e;
    }
    (ctx as Context & { actor?: typeof user }).actor = user;
    await next();
  });

  const acceptImage = async (ctx: Context, fileId: string, fileSize: number | undefined, name: string) => {
    const actor = (ctx as Context & { actor: { id: string; role: "ADMIN" | "REP" } }).actor;
    if (fileSize !== undefined && fileSize > MAX_FILE_BYTES) return void (await ctx.reply(MESSAGES.tooLarge));
    let bytes: Buffer;
    try {
      bytes = await downloadTelegramFile(ctx.api, cfg, fileId, MAX_FILE_BYTES);
    } catch (e) {
      if (e instanceof AppError && e.message === "too large") return void (await ctx.reply(MESSAGES.tooLarge));
      throw e;
    }
    const result = await uploadCards({ db, storage: getStorage(), actor, source: "telegram", telegramChatId: BigInt(ctx.chat!.id) }, [{ name, bytes }]);
    if (result.errors.length) return void (await ctx.reply(`I could not use that file: ${result.errors[0].message}`));
    await replyAfterWrite(ctx, result.scans[0].duplicate ? "I already have this card; its draft is on the way or waiting for review." : MESSAGES.reading);
  };

  bot.on("message:photo", async (ctx) => {
    // Telegram sends several sizes; take the largest under our limit.
    const sizes = [...ctx.message.photo].sort((a, b) => (b.file_size ?? 0) - (a.file_size ?? 0));
    const pick = sizes.find((p) => (p.file_size ?? 0) <= MAX_FILE_BYTES) ?? sizes[0];
    await acceptImage(ctx, pick.file_id, pick.file_size, `telegram-${ctx.message.message_id}.jpg`);
  });

  bot.on("message:document", async (ctx) => {
    const doc = ctx.message.document;
    if (!doc.mime_type?.startsWith("image/")) return void (await ctx.reply(MESSAGES.notImage));
    await acceptImage(ctx, doc.file_id, doc.file_size, doc.file_name ?? `telegram-${ctx.message.message_id}`);
  });

  bot.on("message:text", async (ctx) => {
    const actor = (ctx as Context & { actor: { id: string; role: "ADMIN" | "REP" } }).actor;
    try {
      const { draftId } = await draftFromText(db, actor, ctx.message.text.slice(0, 20_000), { region: getEnv().DEFAULT_PHONE_REGION, source: "telegram", telegramChatId: BigInt(ctx.chat.id) });
      await replyAfterWrite(ctx, "Draft ready. Check it and confirm:", { reply_markup: reviewKeyboard(cfg, draftId) });
    } catch (e) {
      if (e instanceof AppError && e.code === "VALIDATION") return void (await ctx.reply(`${e.message} Send a photo of the card, or a signature with a name, email or phone.`));
      throw e;
    }
  });

  bot.on("message", async (ctx) => {
    await ctx.reply(MESSAGES.notImage);
  });

  // No bot.catch: grammY calls it only when it polls. A failed handler reaches handleTelegramWebhook (webhook.ts),
  // which tells the user and answers Telegram 200.
  return bot;
}
