// Confirm: the reviewed draft becomes a Contact owned by the rep, and the draft is
// removed, in one transaction. A likely duplicate answers CONFLICT with the existing
// contact's id unless the rep chose "merge into existing" or "create anyway".
import type { Db } from "../db";
import type { Actor } from "../trpc/context";
import { AppError, notFound } from "../errors";
import { findOwnDraft, toDraftView } from "./draft-view";
import { findDuplicatesForFields } from "./find-duplicate-contacts";
import { FIELD_KEYS } from "./schemas";
import { contactPayload, emitEvent } from "../integrations/emit-event";
import { autoPushEnabled } from "../integrations/hubspot-settings";
import { requestHubspotPush } from "../integrations/hubspot-push";
import { logger } from "../logger";

export async function confirmDraft(db: Db, actor: Actor, input: { id: string; mergeInto?: string; force?: boolean }): Promise<{ contactId: string; merged: boolean }> {
  const draft = await findOwnDraft(db, actor, input.id);
  const { fields } = toDraftView(draft);
  if (!fields.fullName?.trim()) {
    throw new AppError("VALIDATION", "A contact needs a name", { details: { fieldErrors: { fullName: ["Enter the person's name"] } } });
  }

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
    const [updated] = await db.$transaction([
      db.contact.update({ where: { id: target.id }, data: { ...update, scanId: target.scanId ?? draft.scanId } }),
      db.draftContact.delete({ where: { id: draft.id } }),
    ]);
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

  const contact = await db.$transaction(async (tx) => {
    const created = await tx.contact.create({
      data: {
        fullName: fields.fullName!.trim(),
        title: fields.title,
        company: fields.company,
        email: fields.email,
        phone: fields.phone,
        website: fields.website,
        address: fields.address,
        source: draft.source,
        ownerId: actor.id,
        scanId: draft.scanId,
      },
    });
    // deleteMany with the owner and status guards: a concurrent confirm of the same draft
    // deletes nothing here, and then this transaction is rolled back.
    const removed = await tx.draftContact.deleteMany({ where: { id: draft.id, userId: actor.id, status: "PENDING_REVIEW" } });
    if (removed.count !== 1) throw new AppError("CONFLICT", "This draft was already confirmed or discarded.");
    return created;
  });
  await afterContactWritten(db, "contact.created", contact);
  return { contactId: contact.id, merged: false };
}

/** Webhooks and the optional HubSpot auto-push; neither may fail the confirm itself. */
async function afterContactWritten(db: Db, event: "contact.created" | "contact.updated", contact: Parameters<typeof contactPayload>[0]) {
  await emitEvent(db, event, { contact: contactPayload(contact) });
  if (await autoPushEnabled(db).catch(() => false)) {
    await requestHubspotPush(db, { contactIds: [contact.id] }).catch((err) => logger.warn({ err: String(err), contactId: contact.id }, "auto push to HubSpot not queued"));
  }
}
