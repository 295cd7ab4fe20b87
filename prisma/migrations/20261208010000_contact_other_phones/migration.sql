-- A contact's numbers beyond its one "phone": the mobile, office line and fax a business card prints.
-- Stored as a jsonb array on the contact, [{"type": "mobile"|"work"|"home"|"fax"|"other", "e164": "+…"}],
-- at most 10 (the API checks the entries; the database only guarantees an array, so a stray writer can
-- never make the search column below fail). A table of phones would need a join in every list, export,
-- search and webhook for what is, in practice, two or three numbers read and written with the contact.
-- Idempotent: a half-applied run can be repeated.

ALTER TABLE "Contact" ADD COLUMN IF NOT EXISTS "otherPhones" jsonb NOT NULL DEFAULT '[]';

DO $$ BEGIN
  ALTER TABLE "Contact" ADD CONSTRAINT "Contact_otherPhones_array_check" CHECK (jsonb_typeof("otherPhones") = 'array');
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

-- " 4915228817889 496990009047": each other number's E.164 digits after a space, in stored order, so the
-- search box's phone rules (docs/contacts.md: `LIKE '% <digits>%'` is "a number starting with …") hold for
-- them exactly as for "phone". IMMUTABLE (it reads only its argument), so a generated column may call it.
CREATE OR REPLACE FUNCTION f_other_phone_digits(jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(string_agg(' ' || d, '' ORDER BY n), '')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1) = 'array' THEN $1 ELSE '[]'::jsonb END) WITH ORDINALITY AS t(e, n)
    CROSS JOIN LATERAL (SELECT regexp_replace(coalesce(t.e ->> 'e164', ''), '[^0-9]', '', 'g') AS d) x
    WHERE jsonb_typeof(t.e) = 'object' AND x.d <> ''
  $$;

-- "searchText" gains the other numbers' digits at its end. A generated column's expression cannot be
-- altered, so it is dropped and added again (with its trigram index and its statistics target from
-- 20261205010000_search_statistics). Nothing else depends on it: no view, and its one index is recreated
-- here. Skipped when the column already calls the function (this migration ran before).
DO $$ BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = '"Contact"'::regclass AND a.attname = 'searchText'
      AND pg_get_expr(d.adbin, d.adrelid) LIKE '%f_other_phone_digits%'
  ) THEN
    ALTER TABLE "Contact" DROP COLUMN IF EXISTS "searchText";
    ALTER TABLE "Contact" ADD COLUMN "searchText" TEXT GENERATED ALWAYS AS (
      lower(f_unaccent(
        "fullName" || ' ' || coalesce("company", '') || ' ' || coalesce("email", '') || ' ' ||
        regexp_replace(coalesce("phone", ''), '[^0-9]', '', 'g') || f_other_phone_digits("otherPhones")
      ))
    ) STORED;
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS "Contact_searchText_trgm_idx" ON "Contact" USING gin ("searchText" gin_trgm_ops);
ALTER TABLE "Contact" ALTER COLUMN "searchText" SET STATISTICS 250;
ANALYZE "Contact";
