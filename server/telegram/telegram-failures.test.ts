// What the Telegram webhook does when a handler fails, when a process died while handling an update, and for a
// disabled rep (hostile review). Against a local fake of the Bot API, through the real route handler.
import { describe, expect, it, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startFakeTelegram, type FakeTelegram } from "../testing/fake-telegram";

const TOKEN = "123456789:TEST_token_failures_abcdefghijklmn";
const SECRET = "test-webhook-secret-failures-0123";
const fake: FakeTelegram = await startFakeTelegram(TOKEN);
Object.assign(process.env, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_BOT_USERNAME: "sa_fail_bot", UPLOAD_DAILY_QUOTA: "1" });

const { POST } = await import("@/app/api/telegram/webhook/route");
const { MESSAGES } = await import("./bot");
const { CLAIM_STALE_SECONDS } = await import("./webhook");
const { getDb } = await import("../db");
const { callerFor, makeUser } = await import("../testing/fixtures");
afterAll(() => fake.close());

const card = readFileSync(path.resolve(__dirname, "../../bench/ocr-cards/own-01.jpg"));
const card2 = readFileSync(path.resolve(__dirname, "../../bench/ocr-cards/own-02.jpg"));
let updateSeq = Math.floor(Date.now() / 1000) * 1000 + 500_000;
let chatSeq = 810_000_000 + Math.floor(Math.random() * 1_000_000);

const post = (update: unknown) =>
  POST(new Request("http://x/api/telegram/webhook", { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(update) }));
const message = (chatId: number, extra: Record<string, unknown>) => ({
  update_id: ++updateSeq,
  message: { message_id: updateSeq, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "Rep" }, from: { id: chatId, is_bot: false, first_name: "Rep" }, ...extra },
});
const command = (chatId: number, t: string) => message(chatId, { text: t, entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0].length }] });
const photo = (chatId: number, bytes: Buffer) => message(chatId, { photo: [{ file_id: fake.addFile(bytes), file_unique_id: `u${updateSeq}`, width: 1280, height: 720, file_size: bytes.length }] });
const repliesTo = (chatId: number) => fake.sent.filter((m) => Number(m.chat_id) === chatId).map((m) => m.text);

async function linkedChat() {
  const rep = await makeUser("REP");
  const chatId = ++chatSeq;
  const { code } = await callerFor(rep).telegram.createLinkCode();
  expect((await post(command(chatId, `/start ${code}`))).status).toBe(200);
  return { rep, chatId };
}

describe("a handler that fails", () => {
  it("a reply refused after the draft was written: 200, one draft, and Telegram's re-delivery is a duplicate", async () => {
    const { rep, chatId } = await linkedChat();
    const update = message(chatId, { text: "Minh Anh Nguyen\nSales Director\nminhanh@saomai.example\n+84 912 345 678" });
    fake.refuseSends(1);
    const first = await post(update);
    expect(first.status).toBe(200);
    expect(await (await post(update)).json()).toMatchObject({ duplicate: true });
    expect(await getDb().draftContact.count({ where: { userId: rep.id } })).toBe(1);
  });

  it("the daily upload quota: the rep is told in its words, Telegram gets 200, nothing is created", async () => {
    const { rep, chatId } = await linkedChat();
    expect((await post(photo(chatId, card))).status).toBe(200);
    const before = repliesTo(chatId).length;
    const over = photo(chatId, card2);
    const res = await post(over);
    expect(res.status).toBe(200);
    expect(repliesTo(chatId).slice(before)).toEqual([expect.stringMatching(/quota/i)]);
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(1);
    expect(await getDb().telegramUpdate.findUnique({ where: { updateId: BigInt(over.update_id) } })).toMatchObject({ handledAt: expect.any(Date) });
  });
});

describe("an update a dead process was handling", () => {
  it("is handled by the next delivery once its claim is older than a minute; a fresh claim answers 503", async () => {
    const { rep, chatId } = await linkedChat();
    const update = message(chatId, { text: "Lan Pham\nBuyer\nlan@northwind.example" });
    await getDb().telegramUpdate.create({ data: { updateId: BigInt(update.update_id), receivedAt: new Date() } });
    const busy = await post(update);
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("30");
    expect(await getDb().draftContact.count({ where: { userId: rep.id } })).toBe(0);

    await getDb().telegramUpdate.update({ where: { updateId: BigInt(update.update_id) }, data: { receivedAt: new Date(Date.now() - (CLAIM_STALE_SECONDS + 5) * 1000) } });
    expect((await post(update)).status).toBe(200);
    expect(await getDb().draftContact.count({ where: { userId: rep.id } })).toBe(1);
    expect(await (await post(update)).json()).toMatchObject({ duplicate: true });
  });
});

describe("a disabled rep", () => {
  it("a link that outlived the disable is not used: the chat is told it is not linked, nothing is stored, the link goes", async () => {
    const { rep, chatId } = await linkedChat();
    // As if the disable had committed while /start was linking (the race the review forced with a row lock).
    await getDb().user.update({ where: { id: rep.id }, data: { disabledAt: new Date() } });
    expect((await post(message(chatId, { text: "Some One\nsome@one.example" }))).status).toBe(200);
    expect(repliesTo(chatId).at(-1)).toBe(MESSAGES.notLinked);
    expect(await getDb().draftContact.count({ where: { userId: rep.id } })).toBe(0);
    expect(await getDb().telegramLink.count({ where: { userId: rep.id } })).toBe(0);
  });

  it("a link code of a disabled account links nothing", async () => {
    const rep = await makeUser("REP");
    const { code } = await callerFor(rep).telegram.createLinkCode();
    await getDb().user.update({ where: { id: rep.id }, data: { disabledAt: new Date() } });
    const chatId = ++chatSeq;
    await post(command(chatId, `/start ${code}`));
    expect(repliesTo(chatId).at(-1)).toBe(MESSAGES.badCode);
    expect(await getDb().telegramLink.count({ where: { userId: rep.id } })).toBe(0);
  });
});

describe("npm run telegram:webhook", () => {
  it("registers NEXTAUTH_URL's webhook with the secret the server checks, for messages only", async () => {
    const { telegramConfig } = await import("./config");
    const { registerTelegramWebhook } = await import("./register-webhook");
    const cfg = { ...telegramConfig()!, appUrl: "https://sales.example.com" };
    const info = await registerTelegramWebhook(cfg);
    expect(info.url).toBe("https://sales.example.com/api/telegram/webhook");
    const set = fake.calls.filter((c) => c.method === "setWebhook").at(-1)!;
    expect(set.body).toMatchObject({ url: "https://sales.example.com/api/telegram/webhook", secret_token: SECRET, allowed_updates: ["message"] });
    await expect(registerTelegramWebhook({ ...cfg, appUrl: "http://localhost:3000" })).rejects.toThrow(/https/);
  });
});
