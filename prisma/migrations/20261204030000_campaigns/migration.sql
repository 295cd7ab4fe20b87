-- Campaigns: one row per campaign, one row per recipient (the send log and the state
-- machine), and the suppression list (unsubscribed and hard-bounced addresses).
-- See docs/campaigns.md. Idempotent where PostgreSQL allows it.

CREATE EXTENSION IF NOT EXISTS citext;

DO $$ BEGIN
  CREATE TYPE "campaign_status" AS ENUM ('DRAFT', 'SCHEDULED', 'QUEUED', 'PREPARING', 'SENDING', 'PAUSED', 'SENT', 'SENT_WITH_ERRORS', 'CANCELLED');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

DO $$ BEGIN
  CREATE TYPE "campaign_recipient_status" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED', 'UNCERTAIN');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

DO $$ BEGIN
  CREATE TYPE "suppression_reason" AS ENUM ('UNSUBSCRIBED', 'HARD_BOUNCE', 'MANUAL');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE IF NOT EXISTS "Campaign" (
  "id"                  UUID NOT NULL,
  "name"                TEXT NOT NULL,
  "fromName"            TEXT NOT NULL,
  "fromEmail"           TEXT NOT NULL,
  "subject"             TEXT NOT NULL,
  "html"                TEXT NOT NULL,
  "text"                TEXT NOT NULL,
  -- {kind: all | tag | source | owner | contacts, ...}
  "audience"            JSONB NOT NULL DEFAULT '{"kind":"all"}',
  "status"              "campaign_status" NOT NULL DEFAULT 'DRAFT',
  "createdById"         UUID,
  "scheduledAt"         TIMESTAMPTZ(3),
  "launchedAt"          TIMESTAMPTZ(3),
  "launchedById"        UUID,
  -- Fan-out progress: recipients are materialized in chunks keyed by contact id.
  "fanoutDone"          BOOLEAN NOT NULL DEFAULT false,
  "fanoutCursor"        UUID,
  "nextBatchNo"         INTEGER NOT NULL DEFAULT 0,
  "totalRecipients"     INTEGER NOT NULL DEFAULT 0,
  -- Bumped whenever batch jobs are (re-)dispatched: part of their deterministic job ids.
  "dispatchGen"         INTEGER NOT NULL DEFAULT 0,
  "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
  "pausedReason"        TEXT,
  "lastError"           TEXT,
  "lastActivityAt"      TIMESTAMPTZ(3),
  "finishedAt"          TIMESTAMPTZ(3),
  -- Recipient counts by state, frozen when the campaign reaches a final state.
  "finalCounts"         JSONB,
  "createdAt"           TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt"           TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Campaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "Campaign_status_idx" ON "Campaign" ("status");
CREATE INDEX IF NOT EXISTS "Campaign_createdAt_idx" ON "Campaign" ("createdAt");

-- No foreign key to Contact: the send log outlives a deleted contact (email is kept).
CREATE TABLE IF NOT EXISTS "CampaignRecipient" (
  "id"            UUID NOT NULL,
  "campaignId"    UUID NOT NULL,
  "contactId"     UUID NOT NULL,
  -- The address at fan-out time, lower-cased and trimmed (NULL when the contact had none).
  "email"         TEXT,
  "batchNo"       INTEGER NOT NULL,
  "status"        "campaign_recipient_status" NOT NULL DEFAULT 'PENDING',
  "attempts"      INTEGER NOT NULL DEFAULT 0,
  "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "leaseUntil"    TIMESTAMPTZ(3),
  "claimToken"    TEXT,
  "messageId"     TEXT,
  "reason"        TEXT,
  "sentAt"        TIMESTAMPTZ(3),
  "createdAt"     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt"     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "CampaignRecipient_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "CampaignRecipient_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- The idempotency key of the fan-out: one row per contact per campaign.
CREATE UNIQUE INDEX IF NOT EXISTS "CampaignRecipient_campaignId_contactId_key" ON "CampaignRecipient" ("campaignId", "contactId");
CREATE INDEX IF NOT EXISTS "CampaignRecipient_campaignId_status_idx" ON "CampaignRecipient" ("campaignId", "status");
CREATE INDEX IF NOT EXISTS "CampaignRecipient_campaignId_batchNo_status_idx" ON "CampaignRecipient" ("campaignId", "batchNo", "status");
CREATE INDEX IF NOT EXISTS "CampaignRecipient_campaignId_email_idx" ON "CampaignRecipient" ("campaignId", "email");
CREATE INDEX IF NOT EXISTS "CampaignRecipient_contactId_idx" ON "CampaignRecipient" ("contactId");
-- The lease sweeper reads only rows being sent.
CREATE INDEX IF NOT EXISTS "CampaignRecipient_sending_leaseUntil_idx" ON "CampaignRecipient" ("leaseUntil") WHERE "status" = 'SENDING';

CREATE TABLE IF NOT EXISTS "EmailSuppression" (
  "email"      CITEXT NOT NULL,
  "reason"     "suppression_reason" NOT NULL,
  "detail"     TEXT,
  "campaignId" UUID,
  "createdAt"  TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "EmailSuppression_pkey" PRIMARY KEY ("email")
);
