-- Integrations: outgoing signed webhooks with a delivery log, and HubSpot push with a
-- per-contact sync state.

DO $$ BEGIN
  CREATE TYPE "crm_sync_state" AS ENUM ('never', 'pending', 'synced', 'failed');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

DO $$ BEGIN
  CREATE TYPE "delivery_status" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

ALTER TABLE "Contact" ADD COLUMN IF NOT EXISTS "hubspotId" TEXT;
ALTER TABLE "Contact" ADD COLUMN IF NOT EXISTS "crmSyncState" "crm_sync_state" NOT NULL DEFAULT 'never';
ALTER TABLE "Contact" ADD COLUMN IF NOT EXISTS "crmSyncError" TEXT;
ALTER TABLE "Contact" ADD COLUMN IF NOT EXISTS "crmSyncedAt" TIMESTAMPTZ(3);
CREATE INDEX IF NOT EXISTS "Contact_crmSyncState_idx" ON "Contact"("crmSyncState");

CREATE TABLE IF NOT EXISTS "Webhook" (
  "id"        UUID NOT NULL,
  "url"       TEXT NOT NULL,
  "events"    TEXT[] NOT NULL,
  "secret"    TEXT NOT NULL,
  "active"    BOOLEAN NOT NULL DEFAULT true,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "WebhookDelivery" (
  "id"          UUID NOT NULL,
  "webhookId"   UUID NOT NULL,
  "event"       TEXT NOT NULL,
  "payload"     JSONB NOT NULL,
  "status"      "delivery_status" NOT NULL DEFAULT 'PENDING',
  "attempts"    INTEGER NOT NULL DEFAULT 0,
  "lastError"   TEXT,
  "createdAt"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "deliveredAt" TIMESTAMPTZ(3),
  CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

CREATE TABLE IF NOT EXISTS "WebhookAttempt" (
  "id"         UUID NOT NULL,
  "deliveryId" UUID NOT NULL,
  "attempt"    INTEGER NOT NULL,
  "statusCode" INTEGER,
  "error"      TEXT,
  "durationMs" INTEGER NOT NULL,
  "createdAt"  TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "WebhookAttempt_deliveryId_idx" ON "WebhookAttempt"("deliveryId");

CREATE TABLE IF NOT EXISTS "IntegrationSetting" (
  "key"               TEXT NOT NULL,
  "encryptedToken"    TEXT,
  "autoPushOnConfirm" BOOLEAN NOT NULL DEFAULT false,
  "updatedAt"         TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "IntegrationSetting_pkey" PRIMARY KEY ("key")
);
