-- Who a finished scan turned out to be ("Jane Cooper · Northwind"), written by the worker with
-- the draft. After a batch of fifty photos named IMG_2034.jpg the progress list can then say
-- which card is which, and the poll stays one read of the CardScan row (no join to the draft).
ALTER TABLE "CardScan" ADD COLUMN IF NOT EXISTS "summary" TEXT;

-- Scans finished before this column existed: the same line from their draft while it still
-- exists (server/cards/scan-summary.ts: name · company; without a name, company · email or
-- phone; at most 120 characters). Scans whose draft is gone keep NULL and show their file name.
WITH f AS (
  -- Whitespace collapsed first, then trimmed, as scanSummary() does.
  SELECT s."id",
         nullif(btrim(regexp_replace(d."extractedData"->>'fullName', '\s+', ' ', 'g')), '') AS name,
         nullif(btrim(regexp_replace(d."extractedData"->>'company', '\s+', ' ', 'g')), '') AS company,
         coalesce(nullif(btrim(regexp_replace(d."extractedData"->>'email', '\s+', ' ', 'g')), ''),
                  nullif(btrim(regexp_replace(d."extractedData"->>'phone', '\s+', ' ', 'g')), '')) AS other
  FROM "CardScan" s JOIN "DraftContact" d ON d."id" = s."draftId"
  WHERE s."summary" IS NULL
), line AS (
  SELECT "id", nullif(CASE WHEN name IS NOT NULL THEN concat_ws(' · ', name, company) ELSE concat_ws(' · ', company, other) END, '') AS summary FROM f
)
UPDATE "CardScan" s
SET "summary" = CASE WHEN char_length(line.summary) > 120 THEN left(line.summary, 119) || '…' ELSE line.summary END
FROM line
WHERE line."id" = s."id" AND line.summary IS NOT NULL;
