// The default storage driver: a folder on the server's disk. Writes are atomic (temp
// file + rename) so a crash never leaves half an image under a real key.
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { AppError } from "../errors";
import { assertSafeKey, type BlobStorage } from "./blob-storage";

export class LocalStorage implements BlobStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    assertSafeKey(key);
    const full = path.resolve(this.root, key);
    // Belt and braces: the resolved path must stay inside the root.
    if (!full.startsWith(this.root + path.sep)) throw new Error(`storage key escapes the root: ${key}`);
    return full;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const full = this.pathOf(key);
    const tmp = `${full}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(tmp, data);
      await rename(tmp, full);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => {});
      throw storageError(e);
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new AppError("NOT_FOUND", "Image not found");
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }
}

/** Disk full → 507, unwritable → 503: clear answers instead of a masked 500. */
function storageError(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOSPC" || code === "EDQUOT") return new AppError("INSUFFICIENT_STORAGE", "The server has no space left to store images.", { cause: e });
  // ENOENT: Node's recursive mkdir reports a read-only filesystem as ENOENT (EROFS only
  // comes from a plain mkdir/write); either way the folder cannot be created.
  if (code === "EACCES" || code === "EROFS" || code === "EPERM" || code === "ENOTDIR" || code === "ENOENT") return new AppError("UNAVAILABLE", "Image storage is not writable right now.", { cause: e, retryAfter: 30 });
  return e;
}
