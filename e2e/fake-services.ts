// Stand-ins for Telegram's Bot API and HubSpot's API during e2e runs (no internet here).
// Started by playwright.config.ts; ports and token come from scripts/test.ts.
import http from "node:http";
import { startFakeTelegram } from "../server/testing/fake-telegram";
import { startFakeHubspot } from "../server/testing/fake-hubspot";

async function main() {
  const tg = await startFakeTelegram(process.env.TELEGRAM_BOT_TOKEN!, Number(process.env.E2E_FAKE_TELEGRAM_PORT));
  const hub = await startFakeHubspot(Number(process.env.E2E_FAKE_HUBSPOT_PORT));
  // Readiness probe for Playwright's webServer.
  http.createServer((_, res) => res.end("ok")).listen(Number(process.env.E2E_FAKE_READY_PORT), "127.0.0.1");
  console.log(`fake telegram ${tg.apiRoot}, fake hubspot ${hub.basePath}`);
}

void main();
