// Adding lines to a contact's notes without ever cutting what a rep wrote: shared by the manual merge
// (merge-contacts.ts) and the merge import (imports/merge-notes.ts), which both keep in the notes what the
// contact has no field for.
import { FIELD_LIMITS } from "./normalize";

/**
 * `notes` with `added` on a line of its own, all within FIELD_LIMITS.notes: what is added is cut (ending in "…"),
 * never the notes a rep wrote; full notes stay as they are. A contact over the limit could not be saved again.
 */
export function appendWithinLimit(notes: string | null, added: string): string | null {
  const base = notes?.trimEnd() ?? "";
  const room = FIELD_LIMITS.notes - base.length - (base ? 1 : 0);
  if (room <= 1) return notes;
  return [base, added.length > room ? `${added.slice(0, room - 1)}…` : added].filter(Boolean).join("\n");
}
