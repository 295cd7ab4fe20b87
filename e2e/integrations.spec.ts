// Telegram intake and HubSpot push, end to end against local fakes of both services.
import path from "node:path";
import { readFileSync } from "node:fs";
import { test, expect } from "./fixtures";

const TG = `http://127.0.0.1:${process.env.E2E_FAKE_TELEGRAM_PORT}`;
const SECRET = process.env.TELEGRAM_WEBHOOK_SECRET!;
let updateId = Math.floor(Date.now() / 1000);
const CHAT = 5_550_001;

function update(extra: Record<string, unknown>) {
  updateId++;
  return { update_id: updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: CHAT, type: "private", first_name: "Rob" }, from: { id: CHAT, is_bot: false, first_name: "Rob", username: "rob_rep" }, ...extra } };
}

test("a rep links Telegram, sends a card photo to the bot, and sees the draft in the app", async ({ page, signIn, request }) => {
  test.setTimeout(150_000);
  await signIn("rep");
  await page.goto("/profile");
  await page.getByRole("button", { name: "Link Telegram" }).click();
  const command = (await page.getByTestId("telegram-code").textContent())!.trim();
  expect(command).toMatch(/^\/start [A-Za-z0-9_-]{20}$/);

  const hook = (body: unknown) => request.post("/api/telegram/webhook", { headers: { "x-telegram-bot-api-secret-token": SECRET }, data: body });
  expect((await hook(update({ text: command, entities: [{ type: "bot_command", offset: 0, length: 6 }] }))).status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("telegram-linked")).toBeVisible();

  // A photo no other spec uploads: the same bytes from the same rep would be a duplicate.
  const photo = readFileSync(path.resolve(__dirname, "../bench/ocr-cards/own-04.jpg"));
  const { file_id, file_size } = await (await request.post(`${TG}/__test/file`, { data: photo })).json();
  expect((await hook(update({ photo: [{ file_id, file_unique_id: `u${file_id}`, width: 1600, height: 1000, file_size }] }))).status()).toBe(200);

  const sent = async () => (await (await request.get(`${TG}/__test/sent`)).json()) as { chat_id: number; text: string; reply_markup?: { inline_keyboard: { url: string }[][] } }[];
  expect((await sent()).some((m) => m.text.startsWith("Got it"))).toBe(true);
  let link = "";
  await expect(async () => {
    const ready = (await sent()).find((m) => m.text.startsWith("Draft ready"));
    expect(ready).toBeTruthy();
    link = ready!.reply_markup!.inline_keyboard[0][0].url;
  }).toPass({ timeout: 120_000 });
  await page.goto(new URL(link).pathname);
  await expect(page.getByTestId("draft-photo")).toBeVisible();
  await expect(page.getByLabel("Name")).not.toHaveValue("");
});

test("an admin pushes three contacts to HubSpot and sees them marked synced", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/admin/integrations");
  await page.getByLabel("HubSpot token").fill("pat-e2e-00000000-1111-2222-3333-444444444444");
  await page.getByRole("button", { name: "Save token" }).click();
  await expect(page.getByText("Token saved.")).toBeVisible();
  // HubSpot matches by email: pick three contacts that have one.
  const rows = page.getByTestId("sync-row").filter({ hasText: "@" });
  await expect(rows.nth(2)).toBeVisible();
  for (let i = 0; i < 3; i++) await rows.nth(i).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Push selected (3)" }).click();
  await expect(page.locator('[data-testid="sync-row"][data-state="synced"]')).toHaveCount(3, { timeout: 30_000 });
});
