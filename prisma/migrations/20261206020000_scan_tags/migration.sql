-- Tags the rep set on the scan page for a batch ("web-summit-2026, vip"), stored with each scan
-- so the worker can put them on the draft it creates. Normalized like contact tags
-- (server/contacts/normalize.ts) before they are written; empty for scans without any.
ALTER TABLE "CardScan" ADD COLUMN IF NOT EXISTS "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
