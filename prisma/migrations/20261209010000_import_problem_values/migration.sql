-- The problems download writes each problem row back as the file had it (its cells under the file's own header),
-- so an admin fixes the rows in a spreadsheet and imports that file again: the uploaded file itself is erased once
-- the import finishes. NULL for vCard imports and for imports from before this migration (they keep Line, Result,
-- Reason only).
ALTER TABLE "ContactImport" ADD COLUMN IF NOT EXISTS "headers" jsonb;
ALTER TABLE "ImportProblem" ADD COLUMN IF NOT EXISTS "values" jsonb;
