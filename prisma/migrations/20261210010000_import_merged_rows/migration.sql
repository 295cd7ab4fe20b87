-- An import's report also lists the rows it merged into an existing contact, and which contact each went into, so an
-- admin can check what a merge changed (docs/contacts.md, "Import"). They are kept in "ImportProblem" beside the
-- invalid and skipped rows, with kind 'merged' and the contact in "contactId"; the problems download ("the file to
-- fix") leaves them out, and GET /api/contacts/import/:id/problems?result=merged downloads them on their own.
-- Idempotent: every statement may run again.

-- The inline CHECK of 20261208020000_import_problems was named "ImportProblem_kind_check" by PostgreSQL.
ALTER TABLE "ImportProblem" DROP CONSTRAINT IF EXISTS "ImportProblem_kind_check";
ALTER TABLE "ImportProblem" ADD CONSTRAINT "ImportProblem_kind_check" CHECK ("kind" IN ('invalid', 'skipped', 'merged'));

-- The contact a merged row went into. SET NULL when that contact is deleted (a later delete, or "Undo this import"
-- deleting a new contact that a later row of the same file merged into): the row stays in the report, without link.
ALTER TABLE "ImportProblem" ADD COLUMN IF NOT EXISTS "contactId" uuid;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ImportProblem_contactId_fkey') THEN
    ALTER TABLE "ImportProblem" ADD CONSTRAINT "ImportProblem_contactId_fkey"
      FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE SET NULL;
  END IF;
END $$;

-- Without it every deleted contact (a bulk delete, an undo of 50,000) would scan the whole table for the SET NULL.
CREATE INDEX IF NOT EXISTS "ImportProblem_contactId_idx" ON "ImportProblem" ("contactId") WHERE "contactId" IS NOT NULL;
-- The page's list of merged rows (the first 1,000 in line order) and their download, without reading the problems.
CREATE INDEX IF NOT EXISTS "ImportProblem_merged_idx" ON "ImportProblem" ("importId", "row") WHERE "kind" = 'merged';
