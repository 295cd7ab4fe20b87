// contacts.merge: keep one contact, pick field by field whose value survives, move tags
// (and, once campaigns exist, campaign history) onto it and delete the other, all in
// one transaction. A merge that would leave more than FIELD_LIMITS.tags tags is refused (422).
import type { Contact, Db, Prisma } from "../db";
import { AppError, forbidden, notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { canEditContact } from "./access";
import { moveCampaignHistory } from "./campaign-history";
import { contactPayload, deletedPayload, emitEvent } from "../integrations/emit-event";
import { assertActiveOwner, contactSelect, tooManyTagsError, withOtherPhones } from "./manage-contacts";
import { FIELD_LIMITS, normalizeTags } from "./normalize";
import { appendWithinLimit } from "./append-notes";
import { describeNumbers, readOtherPhones, uniteOtherPhones, type OtherPhone } from "./other-phones";
import { mergeContactsInput, MERGEABLE_FIELDS, type MergeableField, type MergeContactsInput } from "./schemas";

export async function mergeContacts(db: Db, actor: Actor, raw: MergeContactsInput) {
  const input = mergeContactsInput.parse(raw);
  if (input.keepId === input.removeId) throw new AppError("VALIDATION", "Choose two different contacts to merge");
  const merged = await db.$transaction(async (tx) => {
    // Lock both rows (in a fixed order, so two merges cannot deadlock).
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Contact" WHERE "id" IN (${input.keepId}::uuid, ${input.removeId}::uuid) ORDER BY "id" FOR UPDATE`;
    if (locked.length !== 2) throw notFound("Contact");
    const [keep, remove] = await Promise.all([
      tx.contact.findUniqueOrThrow({ where: { id: input.keepId } }),
      tx.contact.findUniqueOrThrow({ where: { id: input.removeId } }),
    ]);
    if (!canEditContact(actor, keep) || !canEditContact(actor, remove)) {
      throw forbidden("You can merge only contacts you own (admins can merge any)");
    }
    const data = chosenValues(keep, remove, input.fields);
    if (data.ownerId !== undefined && data.ownerId !== keep.ownerId) {
      if (actor.role !== "ADMIN") throw forbidden("Only an admin can reassign a contact");
      // The removed contact's owner chosen for the kept one: an active user, as for any new owner (held while merging).
      await assertActiveOwner(tx, data.ownerId as string, { lock: true });
    }
    const kept = await mergeLockedContacts(tx, keep, remove, data, new Date());
    return { kept, removed: remove, view: withOtherPhones(await tx.contact.findUniqueOrThrow({ where: { id: keep.id }, select: contactSelect })) };
  });
  // After the commit, as contacts.update does: a subscriber (a CRM sync) learns the kept contact's new values and
  // which contact is gone into it (there is no separate "deleted" event).
  await emitEvent(db, "contact.updated", { contact: contactPayload(merged.kept), mergedFrom: [input.removeId] });
  await emitEvent(db, "contact.deleted", deletedPayload(merged.removed, "merged", merged.kept.id));
  return merged.view;
}

/**
 * The values a merge writes onto the kept contact, from the per-field choices: a field not chosen keeps the kept
 * contact's value, or fills its blank with the removed contact's. `{}` is "keep everything, fill the blanks"
 * (contacts.mergeExactDuplicates).
 */
export function chosenValues(keep: Contact, remove: Contact, fields: Partial<Record<MergeableField, "keep" | "remove">>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of MERGEABLE_FIELDS) {
    const choice = fields[field];
    if (choice === "remove" || (choice === undefined && keep[field] === null && remove[field] !== null)) data[field] = remove[field];
  }
  return data;
}

/**
 * The body of a merge, shared by contacts.merge and contacts.mergeExactDuplicates: both rows are locked by the
 * caller's transaction and the choices checked (`data`, from chosenValues). Unites the tags (refused with a 422 on
 * `tags` past FIELD_LIMITS.tags, before anything is written), keeps what was not chosen in the notes, unites the
 * other numbers, moves the campaign history and the card photos, deletes `remove` and writes the kept contact.
 * Returns the kept contact as written (every column), so a caller can merge the next one into it.
 */
export async function mergeLockedContacts(tx: Prisma.TransactionClient, keep: Contact, remove: Contact, choices: Record<string, unknown>, now: Date): Promise<Contact> {
  const data = { ...choices };
  // Tags are united, never dropped: past the limit the merge is refused (422 on `tags`, which the merge dialog
  // shows), and the admin or rep removes tags from either contact first. Checked before anything is written.
  data.tags = normalizeTags([...keep.tags, ...remove.tags]);
  const tagCount = (data.tags as string[]).length;
  if (tagCount > FIELD_LIMITS.tags) throw tooManyTagsError(tagCount, "together these two contacts have", "from either contact, then merge");
  const notes = notesKeepingWhatWasNotChosen(keep, remove, data, now);
  if (notes !== undefined) data.notes = notes;
  Object.assign(data, mergedOtherPhones(keep, remove, data));
  await moveCampaignHistory(tx, remove.id, keep.id);
  // The removed contact's card photos become the kept one's (its other cards), so none is left to the cleanup.
  await tx.cardScan.updateMany({ where: { contactId: remove.id }, data: { contactId: keep.id } });
  await tx.contact.delete({ where: { id: remove.id } });
  return tx.contact.update({ where: { id: keep.id }, data });
}

type PhoneFields = { phone: string | null; otherPhones: unknown; notes: string | null };

/**
 * Both contacts' other numbers as one list, plus the primary phone that lost (the removed contact's, or the kept
 * one's when the removed phone was chosen), so merging two records of one person loses no number. Past the limit
 * of 10, the rest is written into the notes, where a rep still finds it.
 */
function mergedOtherPhones(keep: PhoneFields, remove: PhoneFields, data: Record<string, unknown>): { otherPhones: OtherPhone[]; notes?: string | null } {
  const phone = (data.phone !== undefined ? data.phone : keep.phone) as string | null;
  const losers: OtherPhone[] = [keep.phone, remove.phone].filter((p): p is string => !!p && p !== phone).map((e164) => ({ type: "other", e164 }));
  const { phones, overflow } = uniteOtherPhones([readOtherPhones(keep.otherPhones), readOtherPhones(remove.otherPhones), losers], phone);
  if (!overflow.length) return { otherPhones: phones };
  const notes = (data.notes !== undefined ? data.notes : keep.notes) as string | null;
  return { otherPhones: phones, notes: appendWithinLimit(notes, `Other numbers: ${describeNumbers(overflow)}`) };
}

/** Text fields a merge chooses between; the value not chosen is written into the notes (phones: mergedOtherPhones). */
const TEXT_FIELDS = [
  ["fullName", "name"], ["title", "title"], ["company", "company"], ["email", "email"], ["website", "website"], ["linkedinUrl", "LinkedIn"], ["address", "address"],
] as const;
type TextFields = Record<(typeof TEXT_FIELDS)[number][0] | "notes", string | null>;

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A merge deletes one contact, so the values the merge did not choose would be lost with it: the other email
 * (often a private one), a former title or address, and the other contact's notes (a leaver's "her assistant is
 * Lan, call after 3pm"). They are written at the end of the kept notes, in words a rep can read and copy from:
 *   Merged on 2026-12-05 with "Mai Merge test": email mai.private@gmail.example, title Buyer
 *   Notes of "Mai Merge test": her assistant is Lan, call after 3pm
 * Nothing is added when the two agree. The notes limit still holds: the added text is cut (with "…") to fit.
 * Returns undefined when there is nothing to add.
 */
export function notesKeepingWhatWasNotChosen(keep: TextFields, remove: TextFields, data: Record<string, unknown>, now: Date): string | null | undefined {
  const chosen = <K extends keyof TextFields>(k: K) => (data[k] !== undefined ? (data[k] as string | null) : keep[k]);
  const lost: string[] = [];
  for (const [field, words] of TEXT_FIELDS) {
    const final = chosen(field);
    const other = final === keep[field] ? remove[field] : keep[field];
    if (other && other.trim() && !(final && same(final, other))) lost.push(`${words} ${other.trim()}`);
  }
  const finalNotes = chosen("notes");
  const otherNotes = (finalNotes === keep.notes ? remove.notes : keep.notes)?.trim();
  const otherName = (chosen("fullName") === keep.fullName ? remove.fullName : keep.fullName) ?? "";
  const lines: string[] = [];
  if (lost.length) lines.push(`Merged on ${now.toISOString().slice(0, 10)} with "${otherName}": ${lost.join(", ")}`);
  if (otherNotes && !(finalNotes ?? "").includes(otherNotes)) lines.push(`Notes of "${otherName}": ${otherNotes}`);
  if (!lines.length) return undefined;
  return appendWithinLimit(finalNotes, lines.join("\n"));
}
