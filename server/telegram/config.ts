// Telegram settings, or null when the bot is not configured (the feature is off).
import { createHmac } from "node:crypto";
import { getEnv } from "../env";

export interface TelegramConfig {
  token: string;
  apiRoot: string;
  webhookSecret: string;
  botUsername: string | null;
  appUrl: string;
}

export function telegramConfig(): TelegramConfig | null {
  const env = getEnv();
  if (!env.TELEGRAM_BOT_TOKEN) return null;
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
    // Telegram allows [A-Za-z0-9_-]{1,256}; a keyed hash of the session secret fits.
    webhookSecret: env.TELEGRAM_WEBHOOK_SECRET ?? createHmac("sha256", env.NEXTAUTH_SECRET).update("telegram-webhook").digest("hex"),
    botUsername: env.TELEGRAM_BOT_USERNAME ?? null,
    appUrl: env.NEXTAUTH_URL.replace(/\/+$/, ""),
  };
}
