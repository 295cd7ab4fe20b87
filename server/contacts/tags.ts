// Tag rules with no dependencies, so the browser can use them too: the draft page's merge preview shows which
// tags a merge adds with the very function the merge itself uses (server/drafts/confirm-draft.ts).

/** Tags are trimmed, lower-cased, deduplicated. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const v = t.trim().toLowerCase().replace(/\s+/g, " ");
    if (v) out.add(v);
  }
  return [...out];
}

/** A contact's tags after a merge adds `adding` to them (theirs first, in order), and which of those are new. */
export function mergeTags(current: readonly string[], adding: readonly string[]): { tags: string[]; current: string[]; added: string[] } {
  const before = normalizeTags(current);
  const tags = normalizeTags([...before, ...adding]);
  return { tags, current: before, added: tags.slice(before.length) };
}
