-- A phone's extension no longer runs on into the number's digits. Phones are stored as E.164 with RFC 3966's
-- extension ("+12125550100;ext=204", docs/contacts.md "Extensions"); "phoneDigits" and the phone part of
-- "searchText" used to take every digit, so "+4930123456;ext=7890" had the digits of the different number
-- "+49301234567890": the two were duplicates and matched the same digit search. Now a number with an extension
-- has the number's digits, an "x", then the extension's digits: "12125550100x204". A number without one keeps
-- its digits as before ("12125550100"), so only rows with an extension get a new value. "x" is not a digit, so
--   * `LIKE '% 12125550100%'` (the search box's "a number starting with +1 212 555 0100") still finds every
--     extension of it, and the bare switchboard;
--   * `LIKE '% 12125550100204%'` no longer finds "…0100;ext=204";
--   * the team's calling codes ("phoneDigits" >= '1' AND < '2', collation C) still see it: 'x' sorts after digits.
-- The same key is computed in TypeScript by phoneDigitsOf (server/contacts/phone-digits.ts) to compare with these
-- columns (imports, duplicate checks, search terms); the two must agree.
-- Idempotent: a half-applied run can be repeated, and a second run changes nothing.

-- The digits of one stored number: those before the first ";ext=" (any case), then "x" and the extension's digits
-- when it has any. Anything else (raw SQL writing "+1 212 555 0100 ext. 204", junk) keeps all its digits, as
-- before. '' for NULL. One expression (no FROM), so PostgreSQL can inline it into the column expressions.
CREATE OR REPLACE FUNCTION f_phone_digits(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT regexp_replace(regexp_replace(coalesce($1, ''), ';[eE][xX][tT]=.*$', ''), '[^0-9]', '', 'g')
      || coalesce('x' || nullif(regexp_replace(coalesce(substring($1 from ';[eE][xX][tT]=(.*)$'), ''), '[^0-9]', '', 'g'), ''), '')
  $$;

-- Each other number's key after a space, as 20261208010000_contact_other_phones, now through f_phone_digits.
-- Replacing the body does not touch values already stored: "searchText" is rebuilt below.
CREATE OR REPLACE FUNCTION f_other_phone_digits(jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(string_agg(' ' || d, '' ORDER BY n), '')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1) = 'array' THEN $1 ELSE '[]'::jsonb END) WITH ORDINALITY AS t(e, n)
    CROSS JOIN LATERAL (SELECT f_phone_digits(t.e ->> 'e164') AS d) x
    WHERE jsonb_typeof(t.e) = 'object' AND x.d <> ''
  $$;

-- A generated column's expression cannot be altered: each is dropped and added again, with its index. Both in one
-- ALTER TABLE, so the table (every contact row) is rewritten once, not once per column; it holds an exclusive lock
-- meanwhile (reads of "Contact" wait: a few seconds at 100,000 contacts). Nothing else depends on the columns: no
-- view, and their indexes are recreated below. A column whose expression already calls f_phone_digits (this
-- migration ran before) is left alone.
DO $$
DECLARE
  rebuild_digits boolean := NOT EXISTS (
    SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = '"Contact"'::regclass AND a.attname = 'phoneDigits'
      AND pg_get_expr(d.adbin, d.adrelid) LIKE '%f_phone_digits%');
  rebuild_search boolean := NOT EXISTS (
    SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = '"Contact"'::regclass AND a.attname = 'searchText'
      AND pg_get_expr(d.adbin, d.adrelid) LIKE '%f_phone_digits%');
  drops text[] := '{}';
  adds text[] := '{}';
BEGIN
  IF rebuild_digits THEN
    drops := array_append(drops, $q$DROP COLUMN IF EXISTS "phoneDigits"$q$);
    adds := array_append(adds, $q$ADD COLUMN "phoneDigits" TEXT GENERATED ALWAYS AS (nullif(f_phone_digits("phone"), '')) STORED$q$);
  END IF;
  IF rebuild_search THEN
    drops := array_append(drops, $q$DROP COLUMN IF EXISTS "searchText"$q$);
    adds := array_append(adds, $q$ADD COLUMN "searchText" TEXT GENERATED ALWAYS AS (
      lower(f_unaccent(
        "fullName" || ' ' || coalesce("company", '') || ' ' || coalesce("email", '') || ' ' ||
        f_phone_digits("phone") || f_other_phone_digits("otherPhones")
      ))
    ) STORED$q$);
  END IF;
  -- Drops before adds: one statement may drop a column and add one of the same name.
  IF cardinality(drops) > 0 THEN
    EXECUTE 'ALTER TABLE "Contact" ' || array_to_string(drops || adds, ', ');
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS "Contact_phoneDigits_idx" ON "Contact" ("phoneDigits");
CREATE INDEX IF NOT EXISTS "Contact_searchText_trgm_idx" ON "Contact" USING gin ("searchText" gin_trgm_ops);
-- The statistics target of 20261205010000_search_statistics goes with the column.
ALTER TABLE "Contact" ALTER COLUMN "searchText" SET STATISTICS 250;
ANALYZE "Contact";
