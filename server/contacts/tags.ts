// Tag rules with no dependencies, so the browser can use them too: the draft page's merge preview shows which
// tags a merge adds with the very function the merge itself uses (server/drafts/confirm-draft.ts).

/** The most tags a contact may have (FIELD_LIMITS.tags): here, with no imports, so the pages share it. */
export const MAX_TAGS = 30;

/**
 * What separates tags in a list typed or imported as text: the tag box, the CSV export (", ") and import (which
 * also reads HubSpot's "a;b" and "a|b"). A tag never contains one: the paths that store a tag list (create,
 * update, the tag box, drafts, merges, imports) go through normalizeTags, which splits there, so "emea, q3" sent to
 * the API is two tags as it is in the tag box, and an exported contact imports back with the very same tags.
 */
export const TAG_SEPARATORS = /[,;|]/;

/** Tags are split at TAG_SEPARATORS, trimmed, lower-cased (inner spaces made one), deduplicated; empty ones dropped. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const tag of tags) {
    for (const t of String(tag).split(TAG_SEPARATORS)) {
      const v = t.trim().toLowerCase().replace(/\s+/g, " ");
      if (v) out.add(v);
    }
  }
  return [...out];
}

/** A contact's tags after a merge adds `adding` to them (theirs first, in order), and which of those are new. */
export function mergeTags(current: readonly string[], adding: readonly string[]): { tags: string[]; current: string[]; added: string[] } {
  const before = normalizeTags(current);
  const tags = normalizeTags([...before, ...adding]);
  return { tags, current: before, added: tags.slice(before.length) };
}
