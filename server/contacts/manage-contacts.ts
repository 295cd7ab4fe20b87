// get / create / update / delete of one contact, with the visibility rules of access.ts.
import type { Db } from "../db";
import { AppError, forbidden, notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { canEditContact, loadEditableContact } from "./access";
import { listContactCampaigns } from "./campaign-history";
import { FIELD_LIMITS, normalizeContactFields, normalizeTags } from "./normalize";
import type { CreateContactInput, UpdateContactInput } from "./schemas";
import { contactPayload, deletedPayload, emitEvent } from "../integrations/emit-event";
import { readOtherPhones, uniteOtherPhones, type OtherPhone } from "./other-phones";

export const contactSelect = {
  id: true,
  fullName: true,
  title: true,
  company: true,
  email: true,
  phone: true,
  otherPhones: true,
  website: true,
  linkedinUrl: true,
  address: true,
  notes: true,
  source: true,
  tags: true,
  ownerId: true,
  scanId: true,
  importId: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { id: true, name: true, email: true } },
} as const;

/** A selected contact with its stored jsonb read as a typed list (entries a stray writer broke are left out). */
export function withOtherPhones<T extends { otherPhones: unknown }>(c: T): Omit<T, "otherPhones"> & { otherPhones: OtherPhone[] } {
  return { ...c, otherPhones: readOtherPhones(c.otherPhones) };
}

/**
 * The other numbers to store after an update: the list given (already without the new phone), or, when only the
 * phone changed, the stored list without the number that is now the phone. Null when nothing changes.
 */
function otherPhonesAfterUpdate(given: OtherPhone[] | undefined, current: { phone: string | null; otherPhones: unknown }, newPhone: string | null | undefined): OtherPhone[] | null {
  const phone = newPhone === undefined ? current.phone : newPhone;
  if (given) return uniteOtherPhones([given], phone).phones;
  if (newPhone === undefined || newPhone === current.phone) return null;
  const stored = readOtherPhones(current.otherPhones);
  const kept = uniteOtherPhones([stored], phone).phones;
  return kept.length === stored.length ? null : kept;
}

function invalid(errors: Record<string, string>): AppError {
  return new AppError("VALIDATION", Object.values(errors).join("; "), { details: { fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]])) } });
}

export async function getContact(db: Db, actor: Actor, id: string) {
  const contact = await db.contact.findUnique({ where: { id }, select: contactSelect });
  if (!contact) throw notFound("Contact");
  const [campaigns, otherCards] = await Promise.all([listContactCampaigns(db, id), listOtherCards(db, id, contact.scanId)]);
  return { ...withOtherPhones(contact), canEdit: canEditContact(actor, contact), canReassign: actor.role === "ADMIN", campaigns, otherCards };
}

/**
 * The contact's cards besides the photo it shows, newest first: cards merged into it (a rep scanned the same
 * person again) and the cards of contacts merged into it. Each photo's page is /api/scans/<id>/image.
 */
function listOtherCards(db: Db, contactId: string, shownScanId: string | null) {
  return db.cardScan.findMany({
    where: { contactId, ...(shownScanId ? { id: { not: shownScanId } } : {}) },
    select: { id: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
}

/**
 * The user a contact is given to (create, update, bulkSetOwner): must exist and be active. A disabled user (a rep
 * who left) cannot sign in, so their contacts would sit with nobody working them. 422 naming `ownerId` in both
 * cases, as for any other id in a request body that points nowhere (server/users/hand-over-cards.ts does the same).
 * Pass a transaction and `lock` to hold the user row (FOR SHARE) until it commits, so the owner cannot be disabled
 * in between.
 */
export async function assertActiveOwner(db: Pick<Db, "$queryRaw">, ownerId: string, opts: { lock?: boolean } = {}): Promise<{ id: string; name: string; email: string }> {
  const rows = opts.lock
    ? await db.$queryRaw<{ id: string; name: string; email: string; disabled: boolean }[]>`
        SELECT "id"::text AS "id", "name", "email"::text AS "email", "disabledAt" IS NOT NULL AS "disabled" FROM "User" WHERE "id" = ${ownerId}::uuid FOR SHARE`
    : await db.$queryRaw<{ id: string; name: string; email: string; disabled: boolean }[]>`
        SELECT "id"::text AS "id", "name", "email"::text AS "email", "disabledAt" IS NOT NULL AS "disabled" FROM "User" WHERE "id" = ${ownerId}::uuid`;
  const owner = rows[0];
  if (!owner) throw new AppError("VALIDATION", "The new owner does not exist", { details: { fieldErrors: { ownerId: ["unknown user"] } } });
  if (owner.disabled) {
    throw new AppError("VALIDATION", `${owner.name} (${owner.email}) is disabled and cannot own contacts: choose an active user`, { details: { fieldErrors: { ownerId: ["this user is disabled"] } } });
  }
  return { id: owner.id, name: owner.name, email: owner.email };
}

/**
 * The 422 for a tag list over FIELD_LIMITS.tags, on the `tags` field, saying how many to remove:
 * "A contact can have at most 30 tags; this one has 35. Remove 5 tags to save it."
 */
export function tooManyTagsError(count: number, what = "this one has", then = "to save it"): AppError {
  const limit = FIELD_LIMITS.tags;
  const extra = count - limit;
  const message = `A contact can have at most ${limit} tags; ${what} ${count}. Remove ${extra} tag${extra === 1 ? "" : "s"} ${then}.`;
  return new AppError("VALIDATION", message, { details: { fieldErrors: { tags: [message] }, tagCount: count, tagLimit: limit } });
}

export async function createContact(db: Db, actor: Actor, input: CreateContactInput) {
  const { fields, errors } = normalizeContactFields(input, { requireName: true });
  if (Object.keys(errors).length) throw invalid(errors);
  const tags = normalizeTags(input.tags ?? []);
  if (tags.length > FIELD_LIMITS.tags) throw tooManyTagsError(tags.length);
  let ownerId = actor.id;
  if (input.ownerId && input.ownerId !== actor.id) {
    if (actor.role !== "ADMIN") throw forbidden("Only an admin can create a contact for someone else");
    await assertActiveOwner(db, input.ownerId);
    ownerId = input.ownerId;
  }
  const created = await db.contact.create({
    data: { ...fields, fullName: fields.fullName!, source: input.source ?? "manual", tags, ownerId },
    select: contactSelect,
  });
  await emitEvent(db, "contact.created", { contact: contactPayload(created) });
  return withOtherPhones(created);
}

export async function updateContact(db: Db, actor: Actor, input: UpdateContactInput) {
  const { id, tags, ownerId, ...rest } = input;
  const current = await loadEditableContact(db, actor, id);
  const { fields, errors } = normalizeContactFields(rest, { requireName: false, existing: current });
  if (Object.keys(errors).length) throw invalid(errors);
  const { otherPhones, ...textFields } = fields;
  const data: Record<string, unknown> = { ...textFields };
  const nextOtherPhones = otherPhonesAfterUpdate(otherPhones, current, fields.phone);
  if (nextOtherPhones) data.otherPhones = nextOtherPhones;
  if (tags) {
    // A contact that already has more (old data, or a writer before the limit) is saved once enough are removed.
    const t = normalizeTags(tags);
    if (t.length > FIELD_LIMITS.tags) throw tooManyTagsError(t.length);
    data.tags = t;
  }
  if (ownerId && ownerId !== current.ownerId) {
    if (actor.role !== "ADMIN") throw forbidden("Only an admin can reassign a contact");
    await assertActiveOwner(db, ownerId);
    data.ownerId = ownerId;
  }
  const updated = await db.contact.update({ where: { id }, data, select: contactSelect });
  await emitEvent(db, "contact.updated", { contact: contactPayload(updated) });
  return withOtherPhones(updated);
}

export async function deleteContact(db: Db, actor: Actor, id: string) {
  const contact = await loadEditableContact(db, actor, id);
  // deleteMany: a concurrent delete is not an error (the contact is gone either way), and sends no second event.
  const { count } = await db.contact.deleteMany({ where: { id } });
  if (count) await emitEvent(db, "contact.deleted", deletedPayload(contact, "deleted"));
  return { id };
}

/**
 * Every user, for the owner filter and the owner pickers. `disabled` marks a user who left: the filter still
 * offers them (an admin finds the leaver's contacts to hand over), the pickers do not (create, update and
 * bulkSetOwner refuse a disabled owner with a 422).
 */
export async function listOwners(db: Db) {
  const users = await db.user.findMany({ select: { id: true, name: true, email: true, disabledAt: true }, orderBy: [{ name: "asc" }, { email: "asc" }] });
  return users.map(({ disabledAt, ...u }) => ({ ...u, disabled: disabledAt !== null }));
}
