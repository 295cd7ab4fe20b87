// What a merge import does with the notes of a row that is merged into a contact that already has notes, and with
// a row's website that differs from the contact's.
//
// A merge import fills a contact's empty fields; it never overwrites one. Before, that meant a row merged into a
// contact that already had notes lost its notes, and with them the "Other emails: …" / "Other websites: …" lines
// the import writes there (read-rows.ts); a row with another website than the contact's lost it. They are the same
// person's details (a row is merged only when its email agrees with the contact's: run-import.ts), so they are now
// added at the end of the contact's notes, as a manual merge keeps what it did not choose (merge-contacts.ts): the
// row's website as "Other websites:", then each line of the row's notes. A line already in the notes (case ignored)
// is not added again, so importing the same file twice changes nothing the second time. The notes limit holds
// (appendWithinLimit).
import { appendWithinLimit } from "../contacts/append-notes";

export interface MergeNotesInput {
  /** the contact's notes as this chunk has them so far */
  notes: string | null;
  /** the contact's website and LinkedIn URL as this chunk has them so far */
  website: string | null;
  linkedinUrl: string | null;
}

export interface RowNotesInput {
  notes?: string | null;
  website?: string | null;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The contact's notes after the row is merged into it, or undefined when nothing is to be added. */
export function notesAfterMerge(contact: MergeNotesInput, row: RowNotesInput): string | undefined {
  const current = contact.notes ?? "";
  const known = current.toLowerCase();
  const lines: string[] = [];
  const websites = [contact.website, contact.linkedinUrl].filter((w): w is string => !!w);
  if (row.website && websites.length && !websites.some((w) => same(w, row.website!))) lines.push(`Other websites: ${row.website.trim()}`);
  for (const line of (row.notes ?? "").split(/\r?\n/)) if (line.trim()) lines.push(line.trimEnd());
  const fresh = lines.filter((line, i) => !known.includes(line.trim().toLowerCase()) && lines.indexOf(line) === i);
  // An "Other emails: x" line is also already there when x is anywhere in the notes (an earlier merge listed it with others).
  const added = fresh.filter((line) => {
    const m = /^Other (?:emails|websites): (.+)$/.exec(line);
    return !m || m[1].split(", ").some((item) => !known.includes(item.toLowerCase()));
  });
  if (!added.length) return undefined;
  const result = appendWithinLimit(contact.notes, added.join("\n"));
  return result === contact.notes ? undefined : (result ?? undefined);
}
