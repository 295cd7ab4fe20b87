-- Every row an import did not create or merge, with its line and reason. ContactImport.report keeps only
-- the first 1,000 (what the page shows, polled every second); a file of 10 MB can have far more, and the
-- person fixing the list needs all of them: GET /api/contacts/import/:id/problems downloads this table as
-- CSV. Rows are inserted per chunk in the chunk's own transaction, so a resumed import never writes one twice.
CREATE TABLE IF NOT EXISTS "ImportProblem" (
  "importId" uuid NOT NULL REFERENCES "ContactImport"("id") ON DELETE CASCADE,
  "row"      integer NOT NULL,
  "kind"     text NOT NULL CHECK ("kind" IN ('invalid', 'skipped')),
  "reason"   text NOT NULL,
  PRIMARY KEY ("importId", "row")
);
