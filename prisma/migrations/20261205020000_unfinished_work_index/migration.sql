-- Each worker looks for unfinished scans every LOST_JOB_CHECK_MS (30 s by default) to put back
-- jobs Redis lost (server/queues/recover-lost-jobs.ts). Finished scans pile up for ever and
-- unfinished ones are a handful, so a partial index keeps that check a read of a few entries
-- instead of a scan of every card the team has ever photographed. Imports are few enough
-- for their table to be read as it is.
CREATE INDEX IF NOT EXISTS "CardScan_unfinished_updatedAt_idx" ON "CardScan" ("updatedAt") WHERE "status" IN ('QUEUED', 'PROCESSING');
