-- The SQL functions that generated columns call name the functions they call with their schema. pg_restore (and
-- pg_dump's own restore script) run with an empty search_path and compute the generated columns while loading
-- the rows, so an unqualified call (f_unaccent inside f_contact_key, f_phone_digits inside f_other_phone_digits) was
-- "function does not exist": the Contact table was never restored from the backup docs/operations.md describes.
-- Same bodies otherwise, so every stored value stays as it is. Idempotent (CREATE OR REPLACE).
CREATE OR REPLACE FUNCTION f_contact_key(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT btrim(regexp_replace(lower(public.f_unaccent($1)), '[^[:alnum:]]+', ' ', 'g')) $$;

CREATE OR REPLACE FUNCTION f_other_phone_digits(jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(string_agg(' ' || d, '' ORDER BY n), '')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1) = 'array' THEN $1 ELSE '[]'::jsonb END) WITH ORDINALITY AS t(e, n)
    CROSS JOIN LATERAL (SELECT public.f_phone_digits(t.e ->> 'e164') AS d) x
    WHERE jsonb_typeof(t.e) = 'object' AND x.d <> ''
  $$;
