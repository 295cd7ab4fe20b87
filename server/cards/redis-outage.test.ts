// Fault: Redis stops. Uploads answer 503 with a clear message (not 500) and leave no
// CardScan row or stored file behind; so does a queue first used during the outage; once
// Redis is back, uploads work again.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { privateRedis } from "../testing/private-redis";

const redis = privateRedis(6391);
process.env.REDIS_URL = redis.url;

// Imported after REDIS_URL is set: the env is read once per process.
const { uploadCards } = await import("./upload-cards");
const { getDb } = await import("../db");
const { getStorage } = await import("../storage");
const { makeUser } = await import("../testing/fixtures");
const { AppError } = await import("../errors");
const { closeQueues, enqueueImport, enqueuePing } = await import("../queues/definitions");
const { randomUUID } = await import("node:crypto");

let photo: Buffer;
beforeAll(async () => {
  await redis.start();
  photo = await sharp({ create: { width: 900, height: 500, channels: 3, background: "#f4f1ea" } }).jpeg().toBuffer();
});
afterAll(async () => {
  await closeQueues();
  await redis.stop();
});

async function filesOf(userId: string): Promise<string[]> {
  return readdir(path.join(process.env.STORAGE_DIR!, "scans", userId), { recursive: true }).catch(() => []);
}

describe("uploads while Redis is down", () => {
  it("answer UNAVAILABLE (503) with Retry-After and create nothing", async () => {
    const rep = await makeUser("REP");
    await redis.stop();
    const err = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, [{ name: "card.jpg", bytes: photo }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as InstanceType<typeof AppError>).code).toBe("UNAVAILABLE");
    expect((err as InstanceType<typeof AppError>).httpStatus).toBe(503);
    expect((err as InstanceType<typeof AppError>).retryAfter).toBeGreaterThan(0);
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(0);
    expect((await filesOf(rep.id)).filter((f) => f.includes("original"))).toEqual([]);
  });

  it("a queue first used during the outage (a web process started in it) answers UNAVAILABLE, not a request that hangs", async () => {
    // Uploads meet the fail-fast rate limit first; imports, pings and campaign launches go
    // straight to their queue, whose first connection BullMQ would wait for without a limit.
    await closeQueues();
    for (const enqueue of [() => enqueuePing(randomUUID()), () => enqueueImport(randomUUID())]) {
      await expect(enqueue()).rejects.toMatchObject({ code: "UNAVAILABLE", httpStatus: 503, retryAfter: 5 });
    }
  });

  it("work again once Redis is back", async () => {
    const rep = await makeUser("REP");
    await redis.start();
    let result: Awaited<ReturnType<typeof uploadCards>> | undefined;
    // The shared client reconnects on its own; give it a moment.
    for (let i = 0; i < 50 && !result; i++) {
      result = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, [{ name: "card.jpg", bytes: photo }]).catch(() => undefined);
      if (!result) await new Promise((r) => setTimeout(r, 200));
    }
    expect(result?.scans).toHaveLength(1);
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(1);
  });
});
