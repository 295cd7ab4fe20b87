// get / create / update / delete of one contact, with the visibility rules of access.ts.
import type { Db } from "../db";
import { AppError, forbidden, notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { canEditContact, loadEditableContact } from "./access";
import { listContactCampaigns } from "./campaign-history";
import { FIELD_LIMITS, normalizeContactFields, normalizeTags } from "./normalize";
import type { CreateContactInput, UpdateContactInput } from "./schemas";
import { contactPayload, emitEvent } from "../integrations/emit-event";
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

async function assertOwnerExists(db: Db, ownerId: string) {
  const owner = await db.user.findUnique({ where: { id: ownerId }, select: { id: true } });
  if (!owner) throw new AppError("VALIDATION", "The new owner does not exist", { details: { fieldErrors: { ownerId: ["unknown user"] } } });
}

export async function createContact(db: Db, actor: Actor, input: CreateContactInput) {
  const { fields, errors } = normalizeContactFields(input, { requireName: true });
  if (Object.keys(errors).length) throw invalid(errors);
  let ownerId = actor.id;
  if (input.ownerId && input.ownerId !== actor.id) {
    if (actor.role !== "ADMIN") throw forbidden("Only an admin can create a contact for someone else");
    await assertOwnerExists(db, input.ownerId);
    ownerId = input.ownerId;
  }
  const created = await db.contact.create({
    data: { ...fields, fullName: fields.fullName!, source: input.source ?? "manual", tags: normalizeTags(input.tags ?? []), ownerId },
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
    const t = normalizeTags(tags);
    if (t.length > FIELD_LIMITS.tags) throw invalid({ tags: `at most ${FIELD_LIMITS.tags} tags` });
    data.tags = t;
  }
  if (ownerId && ownerId !== current.ownerId) {
    if (actor.role !== "ADMIN") throw forbidden("Only an admin can reassign a contact");
    await assertOwnerExists(db, ownerId);
    data.ownerId = ownerId;
  }
  const updated = await db.contact.update({ where: { id }, data, select: contactSelect });
  await emitEvent(db, "contact.updated", { contact: contactPayload(updated) });
  return withOtherPhones(updated);
}

export async function deleteContact(db: Db, actor: Actor, id: string) {
  await loadEditableContact(db, actor, id);
  // deleteMany: a concurrent delete is not an error (the contact is gone either way).
  await db.contact.deleteMany({ where: { id } });
  return { id };
}

/** Users a contact can be assigned to (for the owner picker and the owner filter). */
export function listOwners(db: Db) {
  return db.user.findMany({ select: { id: true, name: true, email: true }, orderBy: { name: "asc" } });
}
