-- What a card scan became: the contact it was confirmed into, also when it was merged into a contact
-- that already had a photo (Contact.scanId names one photo per contact; a contact can have several
-- cards). The scan page links a finished row to this contact, the contact page lists its other card
-- photos, and the team may see a photo once it is on a contact.
--
-- ON DELETE SET NULL: deleting a contact leaves its scans without an owner contact, and the hourly
-- cleanup deletes them with their photos (server/drafts/cleanup-expired-drafts.ts).
ALTER TABLE "CardScan" ADD COLUMN IF NOT EXISTS "contactId" uuid;

DO $$ BEGIN
  ALTER TABLE "CardScan" ADD CONSTRAINT "CardScan_contactId_fkey"
    FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

-- The contact page's "other cards" and the foreign key's ON DELETE action read by contact.
CREATE INDEX IF NOT EXISTS "CardScan_contactId_idx" ON "CardScan" ("contactId");

-- The cleanup's sweep for photos nobody holds any more: only scans without a contact, a few rows
-- (scans being read, drafts waiting, leftovers), never the table of every card ever confirmed.
CREATE INDEX IF NOT EXISTS "CardScan_without_contact_idx" ON "CardScan" ("updatedAt") WHERE "contactId" IS NULL;

-- Scans confirmed before this column existed: the contact that names the scan as its photo.
UPDATE "CardScan" s SET "contactId" = c.id FROM "Contact" c WHERE c."scanId" = s.id AND s."contactId" IS NULL;
