// A draft's tags and the rep's note: what the rep knows at capture ("met at booth B12, wants a
// demo", the event's tag) and the card does not say. Stored in the draft's extractedData as
// `tags` and `notes` (no column: a draft is short-lived JSON already), validated by the
// contacts' own rules so confirm can put them on a contact unchanged.
import { FIELD_LIMITS, cleanText, normalizeTags, parseTagInput } from "../contacts/normalize";
import type { DraftExtrasInput } from "./schemas";

export interface DraftExtras {
  tags?: string[];
  notes?: string | null;
}

/** The given tags/notes normalized, and a message per bad field (keys `tags`, `notes`). */
export function normalizeDraftExtras(input: DraftExtrasInput): { values: DraftExtras; errors: Record<string, string[]> } {
  const values: DraftExtras = {};
  const errors: Record<string, string[]> = {};
  if (input.tags !== undefined) {
    const r = parseTagInput(input.tags);
    if (r.ok) values.tags = r.tags;
    else errors.tags = [r.reason];
  }
  if (input.notes !== undefined) {
    // As contact notes: newlines and tabs kept, other control characters dropped, empty → none.
    const notes = input.notes === null ? "" : cleanText(input.notes, true);
    if (notes.length > FIELD_LIMITS.notes) {
      errors.notes = [`Notes are longer than ${FIELD_LIMITS.notes.toLocaleString("en-US")} characters (${notes.length.toLocaleString("en-US")})`];
    } else values.notes = notes || null;
  }
  return { values, errors };
}

/** The tags stored on a draft. Broken data (not a list, non-strings) is ignored, never an error. */
export function draftTags(data: Record<string, unknown>): string[] {
  if (!Array.isArray(data.tags)) return [];
  return normalizeTags(data.tags.filter((t): t is string => typeof t === "string")).filter((t) => t.length <= FIELD_LIMITS.tag);
}

/** The rep's note stored on a draft, or null. */
export function draftNotes(data: Record<string, unknown>): string | null {
  return typeof data.notes === "string" && data.notes.trim() ? data.notes : null;
}
