-- Data model v1: users, contacts, drafts, worker pings.
-- Idempotent where PostgreSQL allows it, so a half-applied run can be repeated.

CREATE EXTENSION IF NOT EXISTS citext;

DO $$ BEGIN
  CREATE TYPE "user_role" AS ENUM ('ADMIN', 'REP');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

DO $$ BEGIN
  CREATE TYPE "contact_source" AS ENUM ('card_scan', 'text_input', 'telegram', 'linkedin_search', 'linkedin_connection', 'manual');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

DO $$ BEGIN
  CREATE TYPE "draft_status" AS ENUM ('PENDING_REVIEW', 'CONFIRMED', 'DISCARDED');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE IF NOT EXISTS "User" (
  "id"           UUID NOT NULL,
  "email"        CITEXT NOT NULL,
  "name"         TEXT NOT NULL,
  "passwordHash" TEXT NOT NULL,
  "role"         "user_role" NOT NULL DEFAULT 'REP',
  "createdAt"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
-- citext makes the uniqueness case-insensitive: Ann@X.com and ann@x.com are one user.
CREATE UNIQUE INDEX IF NOT EXISTS "User_email_key" ON "User"("email");

CREATE TABLE IF NOT EXISTS "Contact" (
  "id"        UUID NOT NULL,
  "fullName"  TEXT NOT NULL,
  "title"     TEXT,
  "company"   TEXT,
  "email"     TEXT,
  "phone"     TEXT,
  "website"   TEXT,
  "address"   TEXT,
  "notes"     TEXT,
  "source"    "contact_source" NOT NULL DEFAULT 'manual',
  "ownerId"   UUID NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Contact_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Contact_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "Contact_fullName_company_idx" ON "Contact"("fullName", "company");
CREATE INDEX IF NOT EXISTS "Contact_ownerId_idx" ON "Contact"("ownerId");

CREATE TABLE IF NOT EXISTS "DraftContact" (
  "id"             UUID NOT NULL,
  "userId"         UUID NOT NULL,
  "source"         "contact_source" NOT NULL,
  "extractedData"  JSONB NOT NULL DEFAULT '{}',
  "confidenceData" JSONB NOT NULL DEFAULT '{}',
  "rawInput"       TEXT,
  "imageRef"       TEXT,
  "telegramChatId" BIGINT,
  "status"         "draft_status" NOT NULL DEFAULT 'PENDING_REVIEW',
  "expiresAt"      TIMESTAMPTZ(3) NOT NULL DEFAULT (now() + interval '24 hours'),
  "createdAt"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "DraftContact_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "DraftContact_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "DraftContact_userId_status_idx" ON "DraftContact"("userId", "status");
CREATE INDEX IF NOT EXISTS "DraftContact_expiresAt_idx" ON "DraftContact"("expiresAt");

CREATE TABLE IF NOT EXISTS "WorkerPing" (
  "id"          UUID NOT NULL,
  "createdAt"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "processedAt" TIMESTAMPTZ(3),
  "workerId"    TEXT,
  CONSTRAINT "WorkerPing_pkey" PRIMARY KEY ("id")
);
