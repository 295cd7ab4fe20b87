-- Card capture: one CardScan row per uploaded image (the status the UI polls), OCR
-- details on the draft, and the card photo kept on the confirmed contact.

DO $$ BEGIN
  CREATE TYPE "scan_status" AS ENUM ('QUEUED', 'PROCESSING', 'DONE', 'FAILED');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE IF NOT EXISTS "CardScan" (
  "id"                 UUID NOT NULL,
  "userId"             UUID NOT NULL,
  "status"             "scan_status" NOT NULL DEFAULT 'QUEUED',
  "phase"              TEXT,
  "progress"           INTEGER NOT NULL DEFAULT 0,
  "error"              TEXT,
  "source"             "contact_source" NOT NULL DEFAULT 'card_scan',
  "telegramChatId"     BIGINT,
  "fileName"           TEXT,
  "imageRef"           TEXT NOT NULL,
  "normalizedImageRef" TEXT,
  "sha256"             TEXT NOT NULL,
  "mimeType"           TEXT NOT NULL,
  "byteSize"           INTEGER NOT NULL,
  "width"              INTEGER NOT NULL,
  "height"             INTEGER NOT NULL,
  "attempts"           INTEGER NOT NULL DEFAULT 0,
  "draftId"            UUID,
  "createdAt"          TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt"          TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "finishedAt"         TIMESTAMPTZ(3),
  CONSTRAINT "CardScan_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "CardScan_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Duplicate-upload lookup (same rep, same bytes) and the rep's recent scans.
CREATE INDEX IF NOT EXISTS "CardScan_userId_sha256_idx" ON "CardScan"("userId", "sha256");
CREATE INDEX IF NOT EXISTS "CardScan_userId_createdAt_idx" ON "CardScan"("userId", "createdAt");

ALTER TABLE "DraftContact" ADD COLUMN IF NOT EXISTS "scanId" UUID;
-- Word boxes, the image size they refer to, which words each field came from, phones, QR.
ALTER TABLE "DraftContact" ADD COLUMN IF NOT EXISTS "ocrData" JSONB;
CREATE INDEX IF NOT EXISTS "DraftContact_scanId_idx" ON "DraftContact"("scanId");

-- The card photo stays with the contact after confirmation.
ALTER TABLE "Contact" ADD COLUMN IF NOT EXISTS "scanId" UUID;
CREATE INDEX IF NOT EXISTS "Contact_scanId_idx" ON "Contact"("scanId");
