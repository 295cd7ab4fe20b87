-- Audit log: who changed what, kept in the database rather than only in log lines, so an
-- admin can answer "who demoted Ana?" or "who let this address get mail again?" from /admin/audit
-- months later. Written by the tRPC audit middleware (server/audit/) after every successful
-- admin mutation and the few destructive rep mutations the access table marks; never updated.
-- "actorId" survives the user's deletion as a plain value; "actorEmail" keeps who it was.
CREATE TABLE IF NOT EXISTS "AuditEvent" (
  "id"          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  "at"          TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "actorId"     UUID,
  "actorEmail"  TEXT,
  "action"      TEXT NOT NULL,
  "targetId"    TEXT,
  "targetLabel" TEXT,
  "details"     JSONB NOT NULL DEFAULT '{}'::jsonb,
  "requestId"   TEXT,
  "ip"          TEXT
);
-- Newest first, and newest first per action or per actor (the page's filters), keyset by id.
CREATE INDEX IF NOT EXISTS "AuditEvent_at_id_idx" ON "AuditEvent" ("at" DESC, "id" DESC);
CREATE INDEX IF NOT EXISTS "AuditEvent_action_at_idx" ON "AuditEvent" ("action", "at" DESC);
CREATE INDEX IF NOT EXISTS "AuditEvent_actorId_at_idx" ON "AuditEvent" ("actorId", "at" DESC);
