// Generated card photos for the scan page's specs, and the clean-up that waits for the worker to read them.
import { randomInt } from "node:crypto";
import sharp from "sharp";
import { expect, sql, trpc } from "./fixtures";
import type { Page } from "@playwright/test";

/** A small PNG of random pixels: a new image each time (uploads are de-duplicated by content), read fast (no text). */
export async function noise(name: string) {
  const w = 96;
  const h = 64;
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = randomInt(256);
  return { name, mimeType: "image/png", buffer: await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer() };
}

/** A stamp for this run's file names. */
export const unique = () => `${Date.now().toString(36)}-${randomInt(1e6)}`;

/**
 * Waits until the worker has read every scan of these files, then discards their drafts. Eleven cards take the worker
 * about 30 s on a quiet machine; a loaded one (two cores shared with other runs) took over 120 s, with OCR timeouts
 * and retries, so the wait is generous: it is clean-up, not what the tests check.
 */
export async function finish(page: Page, fileNames: string[]) {
  const rows = () => sql<{ id: string; status: string; draftId: string | null }>(`SELECT "id", "status"::text, "draftId" FROM "CardScan" WHERE "fileName" = ANY($1)`, [fileNames]);
  await expect.poll(async () => (await rows()).filter((r) => r.status === "DONE" || r.status === "FAILED").length, { timeout: 240_000 }).toBe(fileNames.length);
  for (const r of await rows()) if (r.draftId) await trpc(page, "drafts.discard", { id: r.draftId }).catch(() => undefined);
}
