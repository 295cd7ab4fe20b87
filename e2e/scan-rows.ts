// Scan-page set-up the upload cannot give: CardScan rows in a chosen state (a card caught mid-read,
// one that failed, one waiting for a worker), kept in the tab's batch list. (A browser that sees the
// worker offline: e2e/worker-offline.ts.)
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { sql } from "./fixtures";

export interface ScanRow {
  status: "QUEUED" | "PROCESSING" | "DONE" | "FAILED";
  fileName: string;
  phase?: string | null;
  progress?: number;
  error?: string | null;
}

/**
 * Inserts the rep's scans with no job behind them. `updatedAt` lies an hour ahead, so the live worker's
 * lost-job recovery (server/queues/recover-lost-jobs.ts, rows older than its grace) leaves them alone and
 * they keep their state for the length of the test. Returns the ids, in the order given.
 */
export async function insertScans(email: string, rows: ScanRow[]): Promise<string[]> {
  const [user] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
  const ids: string[] = [];
  for (const r of rows) {
    const id = randomUUID();
    await sql(
      `INSERT INTO "CardScan" ("id", "userId", "status", "phase", "progress", "error", "fileName", "imageRef", "sha256", "mimeType", "byteSize", "width", "height", "attempts", "updatedAt", "finishedAt")
       VALUES ($1, $2, $3::scan_status, $4, $5, $6, $7, $8, $9, 'image/jpeg', 1000, 1000, 600, $10, now() + interval '1 hour', CASE WHEN $3 IN ('DONE', 'FAILED') THEN now() END)`,
      [id, user.id, r.status, r.phase ?? null, r.progress ?? 0, r.error ?? null, r.fileName, `e2e/none-${id}.jpg`, id.replace(/-/g, "").padEnd(64, "0"), r.status === "QUEUED" ? 0 : 1],
    );
    ids.push(id);
  }
  return ids;
}

export async function deleteScans(ids: string[]) {
  await sql(`DELETE FROM "CardScan" WHERE "id" = ANY($1::uuid[])`, [ids]);
}

/** Opens /scan with exactly these scans in the tab's batch list (as after uploading them). */
export async function openScanPageWith(page: Page, ids: string[]) {
  await page.goto("/scan");
  await page.evaluate((v) => sessionStorage.setItem("sales-agent:scan-batch", v), JSON.stringify(ids));
  await page.reload();
}
