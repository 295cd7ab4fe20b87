// Fault: the image storage is full (ENOSPC) or not writable during an upload. The upload
// answers a clear 507 (full) or 503 + Retry-After (unwritable), not a masked 500, and the
// database holds no orphan row: every CardScan row left behind has its image stored and
// nothing else was created. A real full filesystem is a 256 KB tmpfs (needs root and
// mount permission; skipped with a note otherwise). A read-only tmpfs gives EROFS.
// (put() on an ENOTDIR path is covered in server/storage/local-storage.test.ts; here it
// is the whole upload that is checked.)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filePrefix } from "./fault-helpers";

process.env.QUEUE_PREFIX = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "disk");

const { getDb } = await import("../db");
const { LocalStorage } = await import("../storage/local-storage");
const { uploadCards } = await import("../cards/upload-cards");
const { makeUser } = await import("../testing/fixtures");
const { removeScansOf } = await import("../testing/capture");
const { AppError } = await import("../errors");
const { errorResponse } = await import("../http/error-response");
const { closeQueues } = await import("../queues/definitions");
const { benchCard } = await import("../testing/images");

const base = mkdtempSync(path.join(os.tmpdir(), "sa-disk-"));
const fullDir = path.join(base, "full");
const roDir = path.join(base, "ro");
const mounted: string[] = [];

function tryMount(dir: string, opts: string): boolean {
  try {
    execFileSync("mkdir", ["-p", dir]);
    execFileSync("mount", ["-t", "tmpfs", "-o", opts, "tmpfs", dir], { stdio: "ignore" });
    mounted.push(dir);
    return true;
  } catch {
    return false;
  }
}
const canMount = tryMount(fullDir, "size=256k");
if (canMount) tryMount(roDir, "size=64k,ro");

const cleanup: { storage: InstanceType<typeof LocalStorage>; userId: string }[] = [];
let smallPhoto: Buffer;

beforeAll(async () => {
  smallPhoto = await sharp({ create: { width: 900, height: 500, channels: 3, background: "#f4f1ea" } }).jpeg().toBuffer();
});

afterAll(async () => {
  for (const c of cleanup) await removeScansOf(c.storage, [c.userId]).catch(() => {});
  await closeQueues().catch(() => {});
  for (const dir of mounted.reverse()) {
    try {
      execFileSync("umount", ["-l", dir], { stdio: "ignore" });
    } catch {
      /* already gone */
    }
  }
  rmSync(base, { recursive: true, force: true });
});

/** Every file under the user's scan folder, relative to the storage root. */
function storedFiles(root: string, userId: string): string[] {
  try {
    return (readdirSync(path.join(root, "scans", userId), { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((d) => d.isFile())
      .map((d) => path.relative(root, path.join(d.parentPath, d.name)));
  } catch {
    return [];
  }
}

describe.skipIf(!canMount)("uploads when the disk is full (ENOSPC on a 256 KB tmpfs)", () => {
  it("answer 507 INSUFFICIENT_STORAGE, and leave no row without its image and no stray file", async () => {
    const storage = new LocalStorage(fullDir);
    const rep = await makeUser("REP");
    cleanup.push({ storage, userId: rep.id });
    // Fill the filesystem to the brim, leaving room for the small photo only.
    const room = 256 * 1024 - smallPhoto.length - 24 * 1024;
    writeFileSync(path.join(fullDir, "ballast"), Buffer.alloc(room));

    // The first (small) file fits; the second (a 128 KB card photo) does not.
    const err = await uploadCards({ db: getDb(), storage, actor: rep }, [
      { name: "small.jpg", bytes: smallPhoto },
      { name: "card.jpg", bytes: benchCard("own-02.jpg").bytes },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "INSUFFICIENT_STORAGE", httpStatus: 507 });

    const res = errorResponse(err, "req-disk-full");
    expect(res.status).toBe(507);
    expect(await res.json()).toMatchObject({ error: { code: "INSUFFICIENT_STORAGE", message: expect.stringMatching(/no space left/i) } });

    // No orphans: the rows are exactly the images that were stored (the first file), and
    // the half-written temp file of the second is gone.
    const rows = await getDb().cardScan.findMany({ where: { userId: rep.id } });
    const files = storedFiles(fullDir, rep.id);
    expect(rows.map((r) => r.imageRef).sort()).toEqual(files.sort());
    expect(rows).toHaveLength(1);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a batch that hits a full disk on its first file creates nothing at all", async () => {
    const storage = new LocalStorage(fullDir);
    const rep = await makeUser("REP");
    cleanup.push({ storage, userId: rep.id });
    const err = await uploadCards({ db: getDb(), storage, actor: rep }, [{ name: "card.jpg", bytes: benchCard("own-03.jpg").bytes }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "INSUFFICIENT_STORAGE", httpStatus: 507 });
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(0);
    expect(storedFiles(fullDir, rep.id)).toEqual([]);
  });
});

describe.skipIf(!canMount)("uploads when the storage is read-only (EROFS)", () => {
  it("answer 503 UNAVAILABLE with Retry-After and create no row", async () => {
    const storage = new LocalStorage(roDir);
    const rep = await makeUser("REP");
    cleanup.push({ storage, userId: rep.id });
    const err = await uploadCards({ db: getDb(), storage, actor: rep }, [{ name: "card.jpg", bytes: smallPhoto }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
    const res = errorResponse(err, "req-ro");
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(0);
  });
});

describe("uploads when the storage path is not a folder (ENOTDIR, works without root)", () => {
  it("answer 503 UNAVAILABLE and create no row", async () => {
    const file = path.join(base, "a-regular-file");
    writeFileSync(file, "not a folder");
    const storage = new LocalStorage(path.join(file, "sub"));
    const rep = await makeUser("REP");
    const err = await uploadCards({ db: getDb(), storage, actor: rep }, [{ name: "card.jpg", bytes: smallPhoto }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
    expect(errorResponse(err, "req-notdir").status).toBe(503);
    expect(await getDb().cardScan.count({ where: { userId: rep.id } })).toBe(0);
  });
});
