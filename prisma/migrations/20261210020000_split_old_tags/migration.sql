-- Tags stored before a tag list was split at "," ";" and "|" everywhere (server/contacts/tags.ts, normalizeTags) can
-- hold those characters: a HubSpot export imported with an earlier version kept "vip;emea" as one tag. Saving such a
-- contact now splits it, so a rep who only fixed a typo saw its tags change. This applies the rule once, to every
-- contact, the way normalizeTags does it: split at the separators, trim, lower-case, one space inside, empty parts
-- dropped, duplicates dropped keeping the first. Only rows holding a separator are written, and "updatedAt" is left
-- alone: this is not anyone's edit (and "Undo import" compares it with the import's stamp).
-- Whitespace is JavaScript's \s (PostgreSQL's \s lacks the no-break spaces). Idempotent: a second run finds no row.
CREATE OR REPLACE FUNCTION pg_temp.split_tags(tags text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT coalesce(array_agg(v ORDER BY first), '{}')
    FROM (
      SELECT v, min(t.n * 1000000 + p.m) AS first
      FROM unnest(tags) WITH ORDINALITY AS t(tag, n)
      CROSS JOIN LATERAL regexp_split_to_table(t.tag, '[,;|]') WITH ORDINALITY AS p(part, m)
      CROSS JOIN LATERAL (
        SELECT lower(regexp_replace(
          regexp_replace(p.part, '^[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$', '', 'g'),
          '[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', ' ', 'g')) AS v
      ) x
      WHERE x.v <> ''
      GROUP BY v
    ) s
  $$;

UPDATE "Contact" SET "tags" = pg_temp.split_tags("tags")
WHERE EXISTS (SELECT 1 FROM unnest("tags") AS t(tag) WHERE t.tag ~ '[,;|]');
