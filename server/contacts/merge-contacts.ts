// contacts.merge: keep one contact, pick field by field whose value survives, move tags
// (and, once campaigns exist, campaign history) onto it and delete the other, all in
// one transaction. A merge that would leave more than FIELD_LIMITS.tags tags is refused (422).
import type { Db } from "../db";
import { AppError, forbidden, notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { canEditContact } from "./access";
import { moveCampaignHistory } from "./campaign-history";
import { contactSelect, tooManyTagsError, withOtherPhones } from "./manage-contacts";
import { FIELD_LIMITS, normalizeTags } from "./normalize";
import { describeNumbers, readOtherPhones, uniteOtherPhones, type OtherPhone } from "./other-phones";
import { mergeContactsInput, MERGEABLE_FIELDS, type MergeContactsInput } from "./schemas";

export async function mergeContacts(db: Db, actor: Actor, raw: MergeContactsInput) {
  const input = mergeContactsInput.parse(raw);
  if (input.keepId === input.removeId) throw new AppError("VALIDATION", "Choose two different contacts to merge");
  return db.$transaction(async (tx) => {
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
    const data: Record<string, unknown> = {};
    for (const field of MERGEABLE_FIELDS) {
      const choice = input.fields[field];
      // A field not chosen keeps the kept contact's value, or fills its blank.
      if (choice === "remove" || (choice === undefined && keep[field] === null && remove[field] !== null)) data[field] = remove[field];
    }
    if (data.ownerId !== undefined && data.ownerId !== keep.ownerId && actor.role !== "ADMIN") {
      throw forbidden("Only an admin can reassign a contact");
    }
    // Tags are united, never dropped: past the limit the merge is refused (422 on `tags`, which the merge dialog
    // shows), and the admin or rep removes tags from either contact first. Checked before anything is written.
    data.tags = normalizeTags([...keep.tags, ...remove.tags]);
    const tagCount = (data.tags as string[]).length;
    if (tagCount > FIELD_LIMITS.tags) throw tooManyTagsError(tagCount, "together these two contacts have", "from either contact, then merge");
    Object.assign(data, mergedOtherPhones(keep, remove, data));
    await moveCampaignHistory(tx, remove.id, keep.id);
    // The removed contact's card photos become the kept one's (its other cards), so none is left to the cleanup.
    await tx.cardScan.updateMany({ where: { contactId: remove.id }, data: { contactId: keep.id } });
    await tx.contact.delete({ where: { id: remove.id } });
    return withOtherPhones(await tx.contact.update({ where: { id: keep.id }, data, select: contactSelect }));
  });
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
  return { otherPhones: phones, notes: [notes?.trimEnd(), `Other numbers: ${describeNumbers(overflow)}`].filter(Boolean).join("\n") };
}
