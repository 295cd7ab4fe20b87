// Abuse limits: imports, test sends, unsubscribe and the daily upload quota answer
// RATE_LIMITED (429) with a Retry-After once used up, per user or per address.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import sharp from "sharp";

Object.assign(process.env, { IMPORT_RATE_PER_HOUR: "2", TEST_SEND_RATE: "2", UNSUBSCRIBE_RATE_PER_MIN: "2", UPLOAD_DAILY_QUOTA: "3" });
const { consumeLimit, LIMITS } = await import("./limits");
const { AppError } = await import("../errors");
const { uploadCards } = await import("../cards/upload-cards");
const { getDb } = await import("../db");
const { getStorage } = await import("../storage");
const { makeUser } = await import("../testing/fixtures");
const { closeQueues } = await import("../queues/definitions");

describe("abuse limits", () => {
  it.each(["import", "testSend", "unsubscribe"] as const)("%s: the third call in the window is RATE_LIMITED with Retry-After", async (name) => {
    const key = randomUUID();
    await consumeLimit(name, key);
    await consumeLimit(name, key);
    const err = await consumeLimit(name, key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as InstanceType<typeof AppError>).code).toBe("RATE_LIMITED");
    expect((err as InstanceType<typeof AppError>).httpStatus).toBe(429);
    expect((err as InstanceType<typeof AppError>).retryAfter).toBeGreaterThan(0);
    expect((err as InstanceType<typeof AppError>).retryAfter).toBeLessThanOrEqual(LIMITS[name].duration);
    // Someone else is not affected.
    await expect(consumeLimit(name, randomUUID())).resolves.toBeUndefined();
  });

  it("a user's daily upload quota counts files and refuses the batch that would pass it", async () => {
    const rep = await makeUser("REP");
    const photo = (i: number) => sharp({ create: { width: 600, height: 350, channels: 3, background: { r: 240, g: 240 - i, b: 230 } } }).jpeg().toBuffer();
    const deps = { db: getDb(), storage: getStorage(), actor: rep };
    const first = await uploadCards(deps, [{ name: "a.jpg", bytes: await photo(1) }, { name: "b.jpg", bytes: await photo(2) }]);
    expect(first.scans).toHaveLength(2);
    await expect(uploadCards(deps, [{ name: "c.jpg", bytes: await photo(3) }, { name: "d.jpg", bytes: await photo(4) }])).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(2);
    // Clean up the queued jobs so no later worker OCRs these blank images.
    await getDb().cardScan.deleteMany({ where: { userId: rep.id } });
    await closeQueues();
  });
});
