// Confirm: the reviewed draft becomes a Contact owned by the rep, and the draft is
// removed, in one transaction. A likely duplicate answers CONFLICT with the existing
// contact's id unless the rep chose "merge into existing" or "create anyway".
import type { Db } from "../db";
import type { Actor } from "../trpc/context";
import { AppError, notFound } from "../errors";
import { findOwnDraft, toDraftView } from "./draft-view";
import { findDuplicatesForFields } from "./find-duplicate-contacts";
import { FIELD_KEYS, type FieldKey } from "./schemas";
import { normalizeFields } from "./normalize-fields";
import { contactPayload, emitEvent } from "../integrations/emit-event";
import { autoPushEnabled } from "../integrations/hubspot-settings";
import { requestHubspotPush } from "../integrations/hubspot-push";
import { logger } from "../logger";
import { appendNotes, beforeMergeLine, draftCardNumbers, draftOtherPhones, draftOtherPhonesEdit, mergedOtherPhones, otherNumbersLine } from "./card-notes";
import { FIELD_LIMITS } from "../contacts/normalize";
import { mergeTags } from "../contacts/tags";

export async function confirmDraft(db: Db, actor: Actor, input: { id: string; mergeInto?: string; force?: boolean }): Promise<{ contactId: string; merged: boolean }> {
  const draft = await findOwnDraft(db, actor, input.id);
  const { fields, tags, notes: repNote } = toDraftView(draft);
  // The card's numbers beyond the one phone column (and its fax) become the contact's other numbers, not the bin;
  // once the rep has edited the draft's "Other numbers", exactly their list does (card-notes.ts).
  const data = (draft.extractedData ?? {}) as Record<string, unknown>;
  const { cardNumbers, fax } = draftCardNumbers(data, draft.ocrData);
  const editedOthers = draftOtherPhonesEdit(data);
  if (!fields.fullName?.trim()) {
    throw new AppError("VALIDATION", "A contact needs a name", { details: { fieldErrors: { fullName: ["Enter the person's name"] } } });
  }
  assertStorable(fields);

  if (input.mergeInto) {
    const target = await db.contact.findUnique({ where: { id: input.mergeInto } });
    if (!target) throw notFound("Contact");
    if (actor.role !== "ADMIN" && target.ownerId !== actor.id) {
      throw new AppError("FORBIDDEN", "You can only merge into your own contacts. Ask the owner or an admin, or create a new contact.");
    }
    // The card in hand is the newest information: its non-empty fields win, and the
    // existing contact keeps whatever the card does not say.
    const update: Record<string, string> = {};
    for (const k of FIELD_KEYS) if (fields[k]) update[k] = fields[k] as string;
    const updated = await db.$transaction(async (tx) => {
      // Read the target again under a row lock: the notes are rebuilt from its current values, and a
      // concurrent edit of the contact must not be overwritten by the values read above.
      await tx.$queryRaw`SELECT 1 FROM "Contact" WHERE id = ${target.id}::uuid FOR UPDATE`;
      const current = await tx.contact.findUnique({ where: { id: target.id } });
      if (!current) throw notFound("Contact");
      // Nothing is lost silently: the values the card replaces, and the card's numbers no field keeps.
      const merged = { ...pickFields(current), ...update };
      // The draft's tags join the contact's. Past the contacts' limit the confirm stops and says so,
      // rather than dropping some tags unseen: the rep removes a few on the draft and merges again.
      // (mergeTags is also what the draft page's merge preview lists as "adds tags".)
      const { current: currentTags, tags: mergedTags } = mergeTags(current.tags, tags);
      // (Only when the draft adds some: a contact already past the limit, e.g. by bulk tagging, still merges.)
      if (mergedTags.length > FIELD_LIMITS.tags && mergedTags.length > currentTags.length) {
        const message = `The contact has ${currentTags.length} tags; with this draft's it would have ${mergedTags.length}, and the limit is ${FIELD_LIMITS.tags}. Remove some tags from the draft.`;
        throw new AppError("VALIDATION", message, { details: { fieldErrors: { tags: [message] } } });
      }
      // The contact's other numbers, its replaced phone and the card's numbers (or the rep's edited list), each once (card-notes.ts).
      const others = mergedOtherPhones({ current, merged, cardNumbers, fax, edited: editedOthers });
      // The rep's note first among the new lines, then what the card replaces, then numbers past the limit of 10.
      const notes = appendNotes(current.notes, [repNote, beforeMergeLine(pickFields(current), update, new Date()), otherNumbersLine(others.overflow)]);
      const saved = await tx.contact.update({
        where: { id: target.id },
        data: { ...update, otherPhones: others.otherPhones, notes, tags: mergedTags, scanId: current.scanId ?? draft.scanId },
      });
      await removeConfirmedDraft(tx, draft, actor);
      // The card is this contact's now, even when the contact keeps showing its earlier photo: the scan row
      // links here, the contact page lists it among its cards, and the cleanup leaves its photo alone.
      await linkScanToContact(tx, draft.scanId, target.id);
      return saved;
    });
    await afterContactWritten(db, "contact.updated", updated);
    return { contactId: target.id, merged: true };
  }

  if (!input.force) {
    const dups = await findDuplicatesForFields(db, fields);
    if (dups.length) {
      throw new AppError("CONFLICT", `This looks like ${dups[0].fullName}${dups[0].company ? ` (${dups[0].company})` : ""}, who is already a contact.`, {
        details: { existingContactId: dups[0].id, matches: dups },
      });
    }
  }

  const others = draftOtherPhones(data, draft.ocrData, fields);
  const contact = await db.$transaction(async (tx) => {
    const created = await tx.contact.create({
      data: {
        fullName: fields.fullName!.trim(),
        title: fields.title,
        company: fields.company,
        email: fields.email,
        phone: fields.phone,
        otherPhones: others.otherPhones,
        website: fields.website,
        address: fields.address,
        // The rep's note ("met at booth B12") first; a card with more than 10 other numbers keeps the rest below it.
        notes: appendNotes(repNote, [otherNumbersLine(others.overflow)]),
        tags,
        source: draft.source,
        ownerId: actor.id,
        scanId: draft.scanId,
      },
    });
    await removeConfirmedDraft(tx, draft, actor);
    await linkScanToContact(tx, draft.scanId, created.id);
    return created;
  });
  await afterContactWritten(db, "contact.created", contact);
  return { contactId: contact.id, merged: false };
}

/**
 * Deletes the draft the contact was made from, in the confirm's transaction, only if it is still this rep's, still
 * awaiting review and unchanged since confirm read it: a concurrent confirm of the same draft deletes nothing here,
 * and neither does a "Save draft" from another tab that committed after the read (its edit would be lost: the
 * contact is made from the values read before it; hostile review). Either way the transaction is rolled back.
 */
async function removeConfirmedDraft(tx: Pick<Db, "draftContact">, draft: { id: string; updatedAt: Date }, actor: Actor) {
  const removed = await tx.draftContact.deleteMany({ where: { id: draft.id, userId: actor.id, status: "PENDING_REVIEW", updatedAt: draft.updatedAt } });
  if (removed.count === 1) return;
  const still = await tx.draftContact.count({ where: { id: draft.id, userId: actor.id, status: "PENDING_REVIEW" } });
  if (still) throw new AppError("CONFLICT", "This draft was just saved from another tab or device. Reload it to see that version, then confirm again.");
  throw new AppError("CONFLICT", "This draft was already confirmed or discarded.");
}

/**
 * The last check before the draft's fields become a contact's. The review page saves (and so validates) before it
 * confirms, but drafts.confirm can be called alone, on fields nobody saved: a QR code's or an old draft's. A bad
 * email or website, a field past the contacts' limit, or a line break in a one-line field is a 422 naming the field
 * instead of a contact no edit form could save again (hostile review).
 */
function assertStorable(fields: Record<FieldKey, string | null>): void {
  const errors: Record<string, string[]> = {};
  try {
    normalizeFields({ email: fields.email, website: fields.website }, "US");
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    Object.assign(errors, (e.details?.fieldErrors ?? {}) as Record<string, string[]>);
  }
  for (const k of FIELD_KEYS) {
    const v = fields[k];
    if (!v) continue;
    if (v.length > FIELD_LIMITS[k]) errors[k] = [`At most ${FIELD_LIMITS[k]} characters`];
    else if (k !== "address" && /[\r\n]/.test(v)) errors[k] = ["One line only"];
  }
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "Some fields are not valid: correct them and save the draft first", { details: { fieldErrors: errors } });
}

/** Records what the card became (CardScan.contactId), in the confirm's transaction. */
async function linkScanToContact(tx: Pick<Db, "cardScan">, scanId: string | null, contactId: string) {
  if (scanId) await tx.cardScan.updateMany({ where: { id: scanId }, data: { contactId } });
}

/** Webhooks and the optional HubSpot auto-push; neither may fail the confirm itself. */
async function afterContactWritten(db: Db, event: "contact.created" | "contact.updated", contact: Parameters<typeof contactPayload>[0]) {
  await emitEvent(db, event, { contact: contactPayload(contact) });
  if (await autoPushEnabled(db).catch(() => false)) {
    await requestHubspotPush(db, { contactIds: [contact.id] }).catch((err) => logger.warn({ err: String(err), contactId: contact.id }, "auto push to HubSpot not queued"));
  }
}

function pickFields(c: Record<FieldKey, string | null>): Record<FieldKey, string | null> {
  return Object.fromEntries(FIELD_KEYS.map((k) => [k, c[k]])) as Record<FieldKey, string | null>;
}
