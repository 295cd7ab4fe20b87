// Old bookkeeping rows go, recent ones and everything else stay. Its own database: pruning reads whole tables.
import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { usePrivateDatabaseAndPrefix } from "../testing/private-queue-file";

const { cleanUp } = await usePrivateDatabaseAndPrefix("prune");
const { getDb } = await import("../db");
const { makeUser } = await import("../testing/fixtures");
const { pruneOldRecords, RETENTION } = await import("./prune-old-records");
afterAll(() => cleanUp());

const DAY = 24 * 3600_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

describe("pruneOldRecords", () => {
  it("removes Telegram updates, link codes, webhook deliveries (with their attempts) and pings past their retention, and nothing else", async () => {
    const db = getDb();
    const rep = await makeUser("REP");
    await db.telegramUpdate.createMany({
      data: [
        { updateId: 1n, receivedAt: ago(5), handledAt: ago(5) },
        { updateId: 2n, receivedAt: ago(1), handledAt: ago(1) },
        { updateId: 3n, receivedAt: ago(5), handledAt: null }, // a claim nobody finished, days ago: goes
        { updateId: 4n, receivedAt: ago(0), handledAt: null }, // a claim in progress: stays
      ],
    });
    await db.telegramLinkCode.createMany({
      data: [
        { code: "old-code", userId: rep.id, expiresAt: ago(RETENTION.telegramLinkCodesDays + 1) },
        { code: "live-code", userId: rep.id, expiresAt: new Date(Date.now() + 600_000) },
      ],
    });
    const hook = await db.webhook.create({ data: { url: "https://hooks.example/x", events: ["contact.created"], secret: "s".repeat(32) } });
    const delivery = (status: "SUCCEEDED" | "FAILED" | "PENDING", days: number) =>
      db.webhookDelivery.create({ data: { id: randomUUID(), webhookId: hook.id, event: "contact.created", payload: {}, status, createdAt: ago(days), deliveredAt: status === "SUCCEEDED" ? ago(days) : null } });
    const oldOk = await delivery("SUCCEEDED", RETENTION.deliveredWebhooksDays + 1);
    const newOk = await delivery("SUCCEEDED", 1);
    const failed40 = await delivery("FAILED", 40);
    const failedOld = await delivery("FAILED", RETENTION.failedWebhooksDays + 1);
    const pendingOld = await delivery("PENDING", 200);
    await db.webhookAttempt.create({ data: { deliveryId: oldOk.id, attempt: 1, statusCode: 200, durationMs: 5 } });
    await db.workerPing.createMany({ data: [{ createdAt: ago(3) }, { createdAt: new Date() }] });

    const report = await pruneOldRecords(db);
    expect(report).toEqual({ telegramUpdates: 2, telegramLinkCodes: 1, webhookDeliveries: 2, workerPings: 1 });
    expect((await db.telegramUpdate.findMany({ orderBy: { updateId: "asc" } })).map((u) => u.updateId)).toEqual([2n, 4n]);
    expect((await db.telegramLinkCode.findMany()).map((c) => c.code)).toEqual(["live-code"]);
    expect((await db.webhookDelivery.findMany({ select: { id: true } })).map((d) => d.id).sort()).toEqual([newOk.id, failed40.id, pendingOld.id].sort());
    expect(await db.webhookDelivery.count({ where: { id: { in: [oldOk.id, failedOld.id] } } })).toBe(0);
    expect(await db.webhookAttempt.count({ where: { deliveryId: oldOk.id } })).toBe(0);
    expect(await db.workerPing.count()).toBe(1);
    // A second run finds nothing more.
    expect(await pruneOldRecords(db)).toEqual({ telegramUpdates: 0, telegramLinkCodes: 0, webhookDeliveries: 0, workerPings: 0 });
  });
});
