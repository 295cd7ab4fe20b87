-- "Undo this import" (server/imports/undo-import.ts) finds the contacts an import created by "importId": a partial
-- index, as most contacts (scanned, typed) have none.
CREATE INDEX IF NOT EXISTS "Contact_importId_idx" ON "Contact" ("importId") WHERE "importId" IS NOT NULL;
