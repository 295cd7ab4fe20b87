// POST /api/telegram/webhook. Checks Telegram's secret-token header (401 without it),
// deduplicates re-delivered updates on update_id, and hands the update to the bot.
import { timingSafeEqual } from "node:crypto";
import type { Update } from "grammy/types";
import type { Db } from "../db";
import { jsonError } from "../http/error-response";
import { telegramConfig } from "./config";
import { createBot } from "./bot";

const MAX_UPDATE_BYTES = 1_000_000;

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
  const text = await req.text();
  if (text.length > MAX_UPDATE_BYTES) return jsonError(413, "BAD_REQUEST", "Update too large");
  let update: Update;
  try {
    update = JSON.parse(text) as Update;
  } catch {
    return jsonError(400, "BAD_REQUEST", "Malformed JSON");
  }
  if (typeof update?.update_id !== "number") return jsonError(400, "BAD_REQUEST", "Not a Telegram update");

  // First delivery wins; a re-delivery answers 200 so Telegram stops retrying.
  const inserted = await db.$executeRaw`INSERT INTO "TelegramUpdate" ("updateId") VALUES (${BigInt(update.update_id)}) ON CONFLICT DO NOTHING`;
  if (inserted === 0) return Response.json({ ok: true, duplicate: true });
  try {
    await createBot(db, cfg).handleUpdate(update);
  } catch (e) {
    // Let Telegram re-deliver this update later.
    await db.telegramUpdate.delete({ where: { updateId: BigInt(update.update_id) } }).catch(() => {});
    throw e;
  }
  return Response.json({ ok: true });
}
