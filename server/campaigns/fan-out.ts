// Fan-out (worker): materializes one recipient row per matching contact, in chunks keyed
// by contact id, with INSERT … SELECT … ON CONFLICT DO NOTHING. Each chunk is one batch;
// its send job is queued as soon as the chunk is committed, so sending starts while the
// rest is still being prepared. Re-running (a re-delivered job, a second worker) inserts
// nothing twice: unique(campaignId, contactId) and a row lock on the campaign per chunk.
import type { Db } from "../db";
import type { Logger } from "../logger";
import { audienceWhere, EMAIL_SQL_PATTERN, parseAudience } from "./audience";
import { campaignSettings } from "./settings";
import { finalizeIfDone } from "./finalize";

export interface FanoutDeps {
  /** Bound to the campaign by the caller (campaignId is not repeated in each line). */
  log?: Logger;
  enqueueBatches: (campaignId: string, batchNos: number[], gen: number) => Promise<void>;
  chunkSize?: number;
}

interface ChunkRow { last_id: string | null; scanned: number; inserted: number; pending: number }

export async function runFanout(db: Db, campaignId: string, deps: FanoutDeps): Promise<{ chunks: number; state: string }> {
  const size = deps.chunkSize ?? campaignSettings().batchSize;
  await db.$executeRaw`UPDATE "Campaign" SET "status" = 'PREPARING', "lastActivityAt" = now(), "updatedAt" = now() WHERE "id" = ${campaignId}::uuid AND "status" = 'QUEUED'`;
  let chunks = 0;
  for (;;) {
    const step = await db.$transaction(
      async (tx) => {
        const [c] = await tx.$queryRaw<{ status: string; fanoutDone: boolean; fanoutCursor: string | null; nextBatchNo: number; audience: unknown; dispatchGen: number }[]>`
          SELECT "status", "fanoutDone", "fanoutCursor", "nextBatchNo", "audience", "dispatchGen" FROM "Campaign" WHERE "id" = ${campaignId}::uuid FOR UPDATE`;
        if (!c) return { stop: "missing" as const };
        if (c.fanoutDone) return { stop: "done" as const };
        if (c.status !== "PREPARING") return { stop: c.status };
        const batchNo = c.nextBatchNo;
        const where = audienceWhere(parseAudience(c.audience));
        const cursor = c.fanoutCursor;
        const [r] = await tx.$queryRaw<ChunkRow[]>`
          WITH src AS (
            SELECT c."id", nullif(lower(btrim(c."email")), '') AS addr
            FROM "Contact" c
            WHERE ${where} AND (${cursor}::uuid IS NULL OR c."id" > ${cursor}::uuid)
            ORDER BY c."id" LIMIT ${size}
          ), ranked AS (
            SELECT src."id", src.addr, s."reason" AS suppressed,
                   row_number() OVER (PARTITION BY src.addr ORDER BY src."id") AS nth,
                   EXISTS (SELECT 1 FROM "CampaignRecipient" x WHERE x."campaignId" = ${campaignId}::uuid AND x."email" = src.addr AND x."status" <> 'SKIPPED') AS seen
            FROM src LEFT JOIN "EmailSuppression" s ON s."email" = src.addr::citext
          ), ins AS (
            INSERT INTO "CampaignRecipient" ("id", "campaignId", "contactId", "email", "batchNo", "status", "reason", "createdAt", "updatedAt")
            SELECT gen_random_uuid(), ${campaignId}::uuid, r."id", r.addr, ${batchNo},
              (CASE WHEN r.addr IS NULL OR r.addr !~ ${EMAIL_SQL_PATTERN} OR r.suppressed IS NOT NULL OR (r.addr IS NOT NULL AND (r.nth > 1 OR r.seen))
                    THEN 'SKIPPED' ELSE 'PENDING' END)::campaign_recipient_status,
              CASE WHEN r.addr IS NULL THEN 'No email address'
                   WHEN r.addr !~ ${EMAIL_SQL_PATTERN} THEN 'Invalid email address'
                   WHEN r.suppressed = 'UNSUBSCRIBED' THEN 'Unsubscribed'
                   WHEN r.suppressed = 'HARD_BOUNCE' THEN 'Suppressed: the address hard-bounced before'
                   WHEN r.suppressed IS NOT NULL THEN 'Suppressed'
                   WHEN r.nth > 1 OR r.seen THEN 'Duplicate address: another contact in this campaign has it'
              END,
              now(), now()
            FROM ranked r
            ON CONFLICT ("campaignId", "contactId") DO NOTHING
            RETURNING "status"
          )
          SELECT (SELECT "id"::text FROM src ORDER BY "id" DESC LIMIT 1) AS last_id,
                 (SELECT count(*) FROM src)::int AS scanned,
                 (SELECT count(*) FROM ins)::int AS inserted,
                 (SELECT count(*) FROM ins WHERE "status" = 'PENDING')::int AS pending`;
        const finished = r.scanned < size;
        await tx.$executeRaw`
          UPDATE "Campaign" SET "fanoutCursor" = coalesce(${r.last_id}::uuid, "fanoutCursor"),
                 "nextBatchNo" = "nextBatchNo" + ${r.scanned > 0 ? 1 : 0},
                 "totalRecipients" = "totalRecipients" + ${r.inserted},
                 "fanoutDone" = ${finished},
                 "status" = CASE WHEN ${finished} THEN 'SENDING'::campaign_status ELSE "status" END,
                 "lastActivityAt" = now(), "updatedAt" = now()
          WHERE "id" = ${campaignId}::uuid`;
        return { batchNo, pending: r.pending, gen: c.dispatchGen, finished, scanned: r.scanned };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    if ("stop" in step) {
      deps.log?.info({ chunks, stop: step.stop }, "fan-out stopped");
      if (step.stop === "done") await finalizeIfDone(db, campaignId);
      return { chunks, state: String(step.stop) };
    }
    if (step.scanned > 0) chunks++;
    if (step.pending > 0) {
      // A lost enqueue is recovered by the supervisor's stall check (the rows are PENDING).
      await deps.enqueueBatches(campaignId, [step.batchNo], step.gen).catch((err) => deps.log?.warn({ batchNo: step.batchNo, err: String(err) }, "could not queue a batch; the supervisor will"));
    }
    if (step.finished) {
      await finalizeIfDone(db, campaignId);
      deps.log?.info({ chunks }, "fan-out finished");
      return { chunks, state: "done" };
    }
  }
}
