// A photo whose write takes longer than an interactive transaction may stay open (Prisma's 5 s; an S3-compatible
// store may take 2 × 20 s). The write used to run inside the duplicate check's transaction: the expired
// transaction was a 500 and the photo stayed on disk with no row. Now the bytes are written first and the
// transaction is short; a photo that turns out to be a duplicate is deleted again.
// Real PostgreSQL and Redis; a LocalStorage in a folder of the file's own, slowed down by a wrapper.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { LocalStorage } from "../storage/local-storage";
import type { BlobStorage } from "../storage";
import { closeQueues } from "../queues/definitions";
import { makeUser } from "../testing/fixtures";
import { makeImage } from "../testing/images";
import { removeScansOf } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { uploadCards } from "./upload-cards";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sa-slow-storage-"));
const local = new LocalStorage(root);
const WRITE_MS = 6_000; // longer than Prisma's default interactive-transaction timeout (5 s)
const slow: BlobStorage = new Proxy(local, {
  get(target, prop, receiver) {
    if (prop === "put") return async (key: string, bytes: Buffer) => {
      await new Promise((r) => setTimeout(r, WRITE_MS));
      return target.put(key, bytes);
    };
    const v = Reflect.get(target, prop, receiver);
    return typeof v === "function" ? v.bind(target) : v;
  },
});

const users: Actor[] = [];
afterAll(async () => {
  await removeScansOf(local, users.map((u) => u.id));
  await closeQueues();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every file stored for this rep (folders left by deletes do not count). */
function filesOf(rep: Actor): string[] {
  const dir = path.join(root, "scans", rep.id);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("uploading to slow storage", () => {
  it("a write slower than a transaction may last is accepted: one row, its photo stored", async () => {
    const rep = await makeUser("REP");
    users.push(rep);
    const bytes = await makeImage("jpeg");
    const result = await uploadCards({ db: getDb(), storage: slow, actor: rep }, [{ name: "slow.jpg", bytes }]);
    expect(result.errors).toEqual([]);
    expect(result.scans).toHaveLength(1);
    const row = await getDb().cardScan.findUniqueOrThrow({ where: { id: result.scans[0].id } });
    expect(await local.get(row.imageRef)).toEqual(bytes);
    expect(filesOf(rep)).toHaveLength(1);
  }, 60_000);

  it("the same photo again: the earlier scan is the answer and the copy just written is deleted", async () => {
    const rep = await makeUser("REP");
    users.push(rep);
    const bytes = await makeImage("png");
    const first = await uploadCards({ db: getDb(), storage: slow, actor: rep }, [{ name: "a.png", bytes }]);
    const again = await uploadCards({ db: getDb(), storage: slow, actor: rep }, [{ name: "a-again.png", bytes }]);
    expect(again.scans).toEqual([{ id: first.scans[0].id, fileName: "a-again.png", duplicate: true }]);
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(1);
    expect(filesOf(rep)).toHaveLength(1);
  }, 60_000);
});
