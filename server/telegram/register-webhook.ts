// Telling Telegram where to deliver the bot's updates (setWebhook), with the secret it must send back. Nothing
// else registers the webhook, and with TELEGRAM_WEBHOOK_SECRET empty the secret is derived from NEXTAUTH_SECRET and
// shown nowhere: an operator following Telegram's own docs got a 401 on every update (hostile review). Run by
// `npm run telegram:webhook` (scripts/telegram-webhook.ts).
import { Api } from "grammy";
import type { TelegramConfig } from "./config";

export function webhookUrl(cfg: TelegramConfig): string {
  return `${cfg.appUrl}/api/telegram/webhook`;
}

/** Registers the webhook and returns what Telegram now reports for it. */
export async function registerTelegramWebhook(cfg: TelegramConfig) {
  const api = new Api(cfg.token, { apiRoot: cfg.apiRoot });
  const url = webhookUrl(cfg);
  if (!/^https:\/\//.test(url)) throw new Error(`Telegram delivers only to https:// addresses; NEXTAUTH_URL gives ${url}`);
  // Only messages: edits, channel posts and the like are not handled (bot.ts).
  await api.setWebhook(url, { secret_token: cfg.webhookSecret, allowed_updates: ["message"] });
  return api.getWebhookInfo();
}
