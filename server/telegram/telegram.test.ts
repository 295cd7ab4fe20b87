// Telegram intake against a local fake of the Bot API: linking, a photo becoming a
// draft plus the replies, re-delivered updates, unlinked chats, forged secrets, huge files.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startFakeTelegram, type FakeTelegram } from "../testing/fake-telegram";

const TOKEN = "123456789:TEST_token_abcdefghijklmnopqrstuv";
const SECRET = "test-webhook-secret-0123456789";
const fake: FakeTelegram = await startFakeTelegram(TOKEN);
Object.assign(process.env, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_BOT_USERNAME: "sa_test_bot", TELEGRAM_CHAT_RATE: "8" });

// Imported after the env is set: it is read once per process.
const { handleTelegramWebhook } = await import("./webhook");
const { MESSAGES } = await import("./bot");
const { draftReadyText } = await import("./notify-scan");
const { getDb } = await import("../db");
const { callerFor, makeUser } = await import("../testing/fixtures");
const { spawnWorker, waitFor } = await import("../testing/worker-process");

const card = readFileSync(path.resolve(__dirname, "../../bench/ocr-cards/own-01.jpg"));
let updateSeq = Math.floor(Date.now() / 1000) * 1000;
let chatSeq = 700_000_000 + Math.floor(Math.random() * 1_000_000);

function post(update: unknown, secret: string | null = SECRET) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  return handleTelegramWebhook(new Request("http://x/api/telegram/webhook", { method: "POST", headers, body: JSON.stringify(update) }), getDb());
}

function message(chatId: number, extra: Record<string, unknown>) {
  return {
    update_id: ++updateSeq,
    message: { message_id: updateSeq, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "Rep" }, from: { id: chatId, is_bot: false, first_name: "Rep", username: "rep_user" }, ...extra },
  };
}
const text = (chatId: number, t: string) => message(chatId, t.startsWith("/") ? { text: t, entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0].length }] } : { text: t });
const photo = (chatId: number, fileId: string, size: number) => message(chatId, { photo: [{ file_id: fileId, file_unique_id: `u${fileId}`, width: 1280, height: 720, file_size: size }] });
const lastReplyTo = (chatId: number) => [...fake.sent].reverse().find((m) => Number(m.chat_id) === chatId);

async function linkedChat() {
  const rep = await makeUser("REP");
  const chatId = ++chatSeq;
  const { code, deepLink } = await callerFor(rep).telegram.createLinkCode();
  expect(deepLink).toBe(`https://t.me/sa_test_bot?start=${code}`);
  expect((await post(text(chatId, `/start ${code}`))).status).toBe(200);
  return { rep, chatId };
}

afterAll(() => fake.close());

describe("telegram webhook", () => {
  it("answers 401 to a missing or forged secret token and handles nothing", async () => {
    const chatId = ++chatSeq;
    expect((await post(text(chatId, "hello"), null)).status).toBe(401);
    expect((await post(text(chatId, "hello"), "forged-secret-forged-secret")).status).toBe(401);
    expect(lastReplyTo(chatId)).toBeUndefined();
  });

  it("answers 400 to a body that is not an update", async () => {
    const res = await handleTelegramWebhook(new Request("http://x", { method: "POST", headers: { "x-telegram-bot-api-secret-token": SECRET }, body: "{nope" }), getDb());
    expect(res.status).toBe(400);
  });

  it("gives an unlinked chat instructions and stores no card", async () => {
    const chatId = ++chatSeq;
    const fileId = fake.addFile(card);
    expect((await post(photo(chatId, fileId, card.length))).status).toBe(200);
    expect(lastReplyTo(chatId)?.text).toBe(MESSAGES.notLinked);
    expect(await getDb().cardScan.count({ where: { telegramChatId: BigInt(chatId) } })).toBe(0);
  });

  it("links a chat with a one-time code, which cannot be reused", async () => {
    const { rep, chatId } = await linkedChat();
    expect(lastReplyTo(chatId)?.text).toContain("Linked to");
    expect((await callerFor(rep).telegram.status()).linked).toBe(true);
    const link = await getDb().telegramLink.findUnique({ where: { userId: rep.id } });
    expect(link?.chatId).toBe(BigInt(chatId));
    // Reusing the consumed code from another chat fails.
    const code = (await getDb().telegramLinkCode.findFirst({ where: { userId: rep.id } }))!.code;
    const other = ++chatSeq;
    await post(text(other, `/start ${code}`));
    expect(lastReplyTo(other)?.text).toBe(MESSAGES.badCode);
  });

  it("refuses an expired code", async () => {
    const rep = await makeUser("REP");
    const { code } = await callerFor(rep).telegram.createLinkCode();
    await getDb().telegramLinkCode.update({ where: { code }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const chatId = ++chatSeq;
    await post(text(chatId, `/start ${code}`));
    expect(lastReplyTo(chatId)?.text).toBe(MESSAGES.badCode);
  });

  it("turns pasted text into a telegram draft and replies with a review link", async () => {
    const { rep, chatId } = await linkedChat();
    await post(text(chatId, "Minh Anh Nguyen\nSales Director\nSao Mai JSC\nminhanh@saomai.example\n+84 912 345 678"));
    const draft = await getDb().draftContact.findFirst({ where: { userId: rep.id } });
    expect(draft?.source).toBe("telegram");
    expect(draft?.telegramChatId).toBe(BigInt(chatId));
    const reply = lastReplyTo(chatId);
    expect(reply?.reply_markup?.inline_keyboard?.[0][0].url).toMatch(new RegExp(`/drafts/${draft!.id}$`));
  });

  it("refuses a huge file with a reply, whether Telegram reports its size or not", async () => {
    const { chatId } = await linkedChat();
    const huge = Buffer.alloc(16 * 1024 * 1024, 1);
    await post(photo(chatId, fake.addFile(huge), huge.length));
    expect(lastReplyTo(chatId)?.text).toBe(MESSAGES.tooLarge);
    const unreported = fake.addFile(huge, { reportedSize: null });
    await post(message(chatId, { document: { file_id: unreported, file_unique_id: "u", mime_type: "image/jpeg", file_name: "big.jpg" } }));
    expect(lastReplyTo(chatId)?.text).toBe(MESSAGES.tooLarge);
    expect(await getDb().cardScan.count({ where: { telegramChatId: BigInt(chatId) } })).toBe(0);
  });

  it("refuses a file that is not an image", async () => {
    const { chatId } = await linkedChat();
    await post(message(chatId, { document: { file_id: fake.addFile(Buffer.from("%PDF-1.4")), file_unique_id: "u", mime_type: "application/pdf", file_name: "card.pdf" } }));
    expect(lastReplyTo(chatId)?.text).toBe(MESSAGES.notImage);
  });

  it("unlinks with /stop", async () => {
    const { rep, chatId } = await linkedChat();
    await post(text(chatId, "/stop"));
    expect(lastReplyTo(chatId)?.text).toBe(MESSAGES.stopped);
    expect((await callerFor(rep).telegram.status()).linked).toBe(false);
  });

  it("rate-limits a chat", async () => {
    const { chatId } = await linkedChat();
    for (let i = 0; i < 9; i++) await post(text(chatId, `x${i}`));
    expect(lastReplyTo(chatId)?.text).toMatch(/Too many messages/);
  });
});

describe("the 'Draft ready' reply", () => {
  it("shows a phone as the pages do, its extension as 'ext.', not the stored ';ext='", () => {
    expect(draftReadyText({ fullName: "Jane Cooper", company: "Northwind", phone: "+12125550100;ext=204", email: null })).toBe(
      "Draft ready:\nName: Jane Cooper\nCompany: Northwind\nPhone: +1 212 555 0100 ext. 204",
    );
    expect(draftReadyText({ phone: "+442079460123" })).toBe("Draft ready:\nPhone: +44 20 7946 0123");
    // What libphonenumber cannot read stays as it is.
    expect(draftReadyText({ phone: "12345" })).toBe("Draft ready:\nPhone: 12345");
    expect(draftReadyText({})).toBe("Draft ready, but I found no fields. Please check the photo.");
  });
});

describe("a card photo sent to the bot", () => {
  let worker: ReturnType<typeof spawnWorker>;
  beforeAll(() => {
    worker = spawnWorker();
  });
  afterAll(async () => {
    await worker.stop("SIGTERM");
  });

  it("becomes a scan and a draft, with 'reading' and 'ready' replies; a re-delivered update changes nothing", async () => {
    const { rep, chatId } = await linkedChat();
    const update = photo(chatId, fake.addFile(card), card.length);
    expect((await post(update)).status).toBe(200);
    expect(lastReplyTo(chatId)?.text).toBe(MESSAGES.reading);

    const again = await post(update);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    const scans = await getDb().cardScan.findMany({ where: { userId: rep.id } });
    expect(scans).toHaveLength(1);
    expect(scans[0].source).toBe("telegram");
    expect(scans[0].telegramChatId).toBe(BigInt(chatId));

    const done = await waitFor(async () => {
      const s = await getDb().cardScan.findUnique({ where: { id: scans[0].id } });
      return s && (s.status === "DONE" || s.status === "FAILED") ? s : undefined;
    }, "scan finished", 120_000, 500);
    expect(done.status).toBe("DONE");
    const ready = await waitFor(async () => fake.sent.find((m) => Number(m.chat_id) === chatId && m.text.startsWith("Draft ready")), "ready reply", 30_000);
    expect(ready.reply_markup?.inline_keyboard?.[0][0].url).toMatch(new RegExp(`/drafts/${done.draftId}$`));
    const draft = await getDb().draftContact.findUnique({ where: { id: done.draftId! } });
    expect(draft?.source).toBe("telegram");
    expect(fake.sent.filter((m) => Number(m.chat_id) === chatId && m.text === MESSAGES.reading)).toHaveLength(1);
  });
});
