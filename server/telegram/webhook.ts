// POST /api/telegram/webhook. Checks Telegram's secret-token header (401 without it),
// deduplicates re-delivered updates on update_id, and hands the update to the bot.
//
// Telegram re-delivers an update until it gets a 2xx. Each update is claimed in "TelegramUpdate" when it arrives and
// marked handled when it is; a re-delivery of a handled one is answered 200 "duplicate", of one still being handled
// 503 (Telegram tries again later), and of a claim older than CLAIM_STALE_SECONDS without handledAt (the process
// handling it died: a deploy, an OOM kill) it is handled again. Before, a claim was never taken over and such a card
// was lost (hostile review).
//
// A handler that fails is answered here, not by letting Telegram re-deliver: grammY's bot.catch runs only when it
// polls, so the webhook got the error as a 500, the user heard nothing, and each re-delivery of a message whose
// draft was already written made another draft (hostile review). Now the user is told (a refusal in its own words,
// anything else "send it again in a minute"), the update is marked handled, and the answer is 200.
import { timingSafeEqual } from "node:crypto";
import { BotError } from "grammy";
import type { Update } from "grammy/types";
import type { Db } from "../db";
import { AppError } from "../errors";
import { jsonError } from "../http/error-response";
import { readBytesLimited } from "../http/limited-body";
import { logger } from "../logger";
import { telegramConfig } from "./config";
import { createBot } from "./bot";

const MAX_UPDATE_BYTES = 1_000_000;
/** Telegram gives a webhook about a minute; a claim older than that without an answer was abandoned. */
export const CLAIM_STALE_SECONDS = 60;

export const FAILURE_MESSAGES = {
  unavailable: "Sales Agent cannot take it right now. Please send it again in a minute.",
  internal: "Something went wrong on our side. Please send it again in a minute.",
};

function sameSecret(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function handleTelegramWebhook(req: Request, db: Db): Promise<Response> {
  const cfg = telegramConfig();
  if (!cfg) return jsonError(404, "NOT_FOUND", "The Telegram bot is not configured");
  if (!sameSecret(req.headers.get("x-telegram-bot-api-secret-token"), cfg.webhookSecret)) {
    return jsonError(401, "UNAUTHORIZED", "Missing or wrong secret token");
  }
  const read = await readBytesLimited(req, MAX_UPDATE_BYTES);
  if (!read.ok) return read.reason === "too-large" ? jsonError(413, "BAD_REQUEST", "Update too large") : jsonError(400, "BAD_REQUEST", "Malformed JSON");
  let update: Update;
  try {
    update = JSON.parse(new TextDecoder().decode(read.bytes)) as Update;
  } catch {
    return jsonError(400, "BAD_REQUEST", "Malformed JSON");
  }
  if (typeof update?.update_id !== "number") return jsonError(400, "BAD_REQUEST", "Not a Telegram update");
  const updateId = BigInt(update.update_id);

  const claim = await claimUpdate(db, updateId);
  if (claim === "handled") return Response.json({ ok: true, duplicate: true });
  if (claim === "in-progress") return jsonError(503, "UNAVAILABLE", "This update is being handled", {}, { "Retry-After": "30" });
  try {
    await createBot(db, cfg).handleUpdate(update);
  } catch (e) {
    await tellUser(e, updateId);
  }
  await db.telegramUpdate.update({ where: { updateId }, data: { handledAt: new Date() } }).catch((err: unknown) => logger.warn({ err: String(err), updateId: String(updateId) }, "telegram update not marked handled"));
  return Response.json({ ok: true });
}

/** Claims the update for this delivery: new, or abandoned by a delivery that never finished it. */
async function claimUpdate(db: Db, updateId: bigint): Promise<"claimed" | "handled" | "in-progress"> {
  const claimed = await db.$queryRaw<unknown[]>`
    INSERT INTO "TelegramUpdate" ("updateId") VALUES (${updateId})
    ON CONFLICT ("updateId") DO UPDATE SET "receivedAt" = now()
      WHERE "TelegramUpdate"."handledAt" IS NULL AND "TelegramUpdate"."receivedAt" < now() - make_interval(secs => ${CLAIM_STALE_SECONDS})
    RETURNING 1`;
  if (claimed.length) return "claimed";
  const row = await db.telegramUpdate.findUnique({ where: { updateId }, select: { handledAt: true } });
  return row?.handledAt ? "handled" : "in-progress";
}

/** A handler failed: the user hears why (a refusal in its own words), and the failure is logged. */
async function tellUser(e: unknown, updateId: bigint): Promise<void> {
  const cause = e instanceof BotError ? e.error : e;
  const refusal = cause instanceof AppError && cause.httpStatus < 500;
  const text = refusal ? cause.message : cause instanceof AppError && cause.code === "UNAVAILABLE" ? FAILURE_MESSAGES.unavailable : FAILURE_MESSAGES.internal;
  const log = refusal ? logger.info.bind(logger) : logger.error.bind(logger);
  log({ err: String(cause), stack: refusal ? undefined : (cause as Error)?.stack, updateId: String(updateId) }, refusal ? "telegram update refused" : "telegram handler failed");
  if (e instanceof BotError && e.ctx.chat) {
    await e.ctx.reply(text).catch((err: unknown) => logger.warn({ err: String(err), updateId: String(updateId) }, "telegram failure reply not sent"));
  }
}
