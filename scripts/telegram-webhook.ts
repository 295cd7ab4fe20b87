// `npm run telegram:webhook`: registers this server's Telegram webhook (NEXTAUTH_URL + /api/telegram/webhook) with
// the secret the server checks, and prints what Telegram reports. Run it once after setting TELEGRAM_BOT_TOKEN, and
// again whenever NEXTAUTH_URL, TELEGRAM_WEBHOOK_SECRET or NEXTAUTH_SECRET changes.
import "./lib/load-dotenv";
import { telegramConfig } from "../server/telegram/config";
import { registerTelegramWebhook } from "../server/telegram/register-webhook";

async function main() {
  const cfg = telegramConfig();
  if (!cfg) throw new Error("TELEGRAM_BOT_TOKEN is not set: the bot is off.");
  const info = await registerTelegramWebhook(cfg);
  console.log(`webhook: ${info.url}`);
  console.log(`pending updates: ${info.pending_update_count}${info.last_error_message ? `; last error: ${info.last_error_message}` : ""}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
