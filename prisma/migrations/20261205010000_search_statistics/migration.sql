-- A finer histogram for "searchText", so PostgreSQL estimates a substring search better.
--
-- Why: contacts.list filters with LIKE '%term%' and sorts by "createdAt" with a LIMIT. With the
-- default statistics target (100), PostgreSQL estimated a specific fragment such as
-- "fatima.bruckne" at about 1 % of the rows (one hit in a 101-entry histogram) when 47 of
-- 100,000 rows matched. It then walked the whole "createdAt" index looking for 51 matches that
-- did not exist: 40-55 ms for that one search instead of under 1 ms through the trigram index.
-- At 250, the estimate for such fragments is small enough for the trigram index to be chosen,
-- while planning a search stays cheap (each plan tests the pattern against the histogram: at
-- 1000 planning cost more than the better plans saved). Measured in bench/contacts.md.
ALTER TABLE "Contact" ALTER COLUMN "searchText" SET STATISTICS 250;
ANALYZE "Contact";
