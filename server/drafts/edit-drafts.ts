// Editing and discarding drafts. An edited field is marked so the UI shows it as the
// rep's own value (confidence 1) rather than the OCR's guess.
import type { Db } from "../db";
import { Prisma } from "../db";
import type { Actor } from "../trpc/context";
import type { BlobStorage } from "../storage";
import { DRAFT_LIFETIME_MS, findOwnDraft, reviewableDrafts, toDraftView, type DraftView } from "./draft-view";
import { draftRegionContext, normalizeFields } from "./normalize-fields";
import type { DraftExtrasInput, DraftFieldsInput, DraftOtherPhonesInput, FieldKey } from "./schemas";
import { AppError, notFound } from "../errors";
import { normalizeDraftExtras } from "./draft-extras";
import { normalizeOtherPhones } from "../contacts/normalize";
import type { OtherPhone } from "../contacts/other-phones";
import { phoneRegionsFor } from "../ocr/phone-region";

export async function updateDraft(
  db: Db,
  actor: Actor,
  id: string,
  input: DraftFieldsInput,
  region: string,
  extrasInput: DraftExtrasInput & { /** The "Other numbers" rows; undefined leaves the draft's as they are. */ otherPhones?: DraftOtherPhonesInput } = {},
): Promise<DraftView> {
  const draft = await findOwnDraft(db, actor, id);
  const data = { ...((draft.extractedData ?? {}) as Record<string, unknown>) };
  const extras = normalizeDraftExtras(extrasInput);
  // The draft's own data tells the country of a phone typed without "+" (an Australian card's "0491 570 231").
  const context = draftRegionContext(draft, data);
  // One answer for every bad field: a bad phone, a bad other number and a too-long note are all marked at once.
  const fieldErrors: Record<string, string[]> = {};
  let changes: ReturnType<typeof normalizeFields> = {};
  try {
    changes = normalizeFields(input, region, context);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const errors = (e.details?.fieldErrors ?? {}) as Record<string, string[]>;
    if (!Object.keys(errors).length) throw e;
    Object.assign(fieldErrors, errors);
  }
  Object.assign(fieldErrors, extras.errors);
  let otherPhones: OtherPhone[] | undefined;
  if (extrasInput.otherPhones !== undefined) {
    // Read like the phone field: a number without "+" in the country the draft points to (the edit's own e-mail,
    // website and address first). Kept as the rep gave them, even one equal to the phone: the phone may still be
    // changed, and confirm (and the page) leave out whichever number is the phone then.
    const regions = phoneRegionsFor(
      { ...context, email: given(input.email, context.email), website: given(input.website, context.website), address: given(input.address, context.address) },
      region,
    );
    const r = normalizeOtherPhones(extrasInput.otherPhones ?? [], regions, null);
    for (const [k, message] of Object.entries(r.errors)) (fieldErrors[k] ??= []).push(message);
    otherPhones = r.phones;
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "Some fields are not valid", { details: { fieldErrors } });
  if (otherPhones !== undefined) {
    // The rep's list from now on: confirm saves exactly it, no longer the card's numbers or the OCR's fax.
    data.otherPhones = otherPhones;
    data.otherPhonesEdited = true;
  }
  // Tags and notes are the rep's own: no confidence or "edited" mark, just the value.
  if (extras.values.tags !== undefined) data.tags = extras.values.tags;
  if (extras.values.notes !== undefined) data.notes = extras.values.notes;
  const conf = { ...((draft.confidenceData ?? {}) as Record<string, unknown>) };
  const edited = new Set<FieldKey>(Array.isArray(data.edited) ? (data.edited as FieldKey[]) : []);
  for (const [k, v] of Object.entries(changes) as [FieldKey, string | null][]) {
    if (data[k] === v) continue;
    data[k] = v;
    conf[k] = v === null ? null : 1;
    edited.add(k);
    // The rep has looked at this field: its hint (e.g. "accents?") is answered.
    if (data.hints && typeof data.hints === "object") {
      const { [k]: _answered, ...rest } = data.hints as Record<string, unknown>;
      data.hints = rest;
    }
  }
  data.edited = [...edited];
  // A draft the rep is working on is not one "nobody reviewed": each save gives it a full review window again
  // (never a shorter one), so the cards of a show's first day, reviewed in the evening, are not lost overnight.
  const expiresAt = new Date(Math.max(draft.expiresAt.getTime(), Date.now() + DRAFT_LIFETIME_MS));
  // Written only if the draft is still this rep's and still waiting, unchanged since it was read: between the read
  // above and here it may have been confirmed or discarded (another tab), expired and cleaned up, handed to a
  // colleague (users.handOverCards): a 404, which the page answers with "this draft is no longer here" and what the
  // rep typed, never a 500 or a write over someone else's draft. Saved meanwhile by another tab: a 409.
  const { count } = await db.draftContact.updateMany({
    where: { id: draft.id, ...reviewableDrafts(actor.id), updatedAt: draft.updatedAt },
    data: { extractedData: data as Prisma.InputJsonValue, confidenceData: conf as Prisma.InputJsonValue, expiresAt, updatedAt: new Date() },
  });
  if (count === 0) {
    await findOwnDraft(db, actor, id); // gone or no longer the rep's: its 404
    throw new AppError("CONFLICT", "This draft was just saved from another tab or device. Reload it to see that version.");
  }
  const saved = await db.draftContact.findUnique({ where: { id: draft.id } });
  if (!saved) throw notFound("Draft");
  return toDraftView(saved);
}

/** The edited value when the edit names the field (even to clear it), else the stored one. */
function given(edited: string | null | undefined, stored: string | null | undefined): string | null {
  return edited !== undefined ? edited : (stored ?? null);
}

export async function discardDraft(db: Db, storage: BlobStorage, actor: Actor, id: string): Promise<{ ok: true }> {
  const draft = await findOwnDraft(db, actor, id);
  // Deleted only if it is still this rep's draft awaiting review: a confirm in another tab, the expiry cleanup, a
  // second Discard or an admin handing the card to a colleague may have got there since the read above. Deleting by
  // id alone answered those with a 500 (the row was gone) or deleted the colleague's draft and photo.
  const { count } = await db.draftContact.deleteMany({ where: { id: draft.id, ...reviewableDrafts(actor.id) } });
  if (count !== 1) throw notFound("Draft");
  if (draft.scanId) await deleteScanImages(db, storage, [draft.scanId]);
  return { ok: true };
}

/** Deletes scan rows and their images, unless a confirmed contact still shows the photo.
 *  The rows go first (DELETE … RETURNING): when several cleanups overlap, each row, and
 *  so each image and each count, belongs to exactly one of them. */
export async function deleteScanImages(db: Db, storage: BlobStorage, scanIds: string[]): Promise<number> {
  if (!scanIds.length) return 0;
  const doomed = await db.$queryRaw<{ id: string; imageRef: string; normalizedImageRef: string | null }[]>`
    DELETE FROM "CardScan" s
    WHERE s.id = ANY(${scanIds}::uuid[])
      AND s."contactId" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "Contact" c WHERE c."scanId" = s.id)
    RETURNING s.id, s."imageRef", s."normalizedImageRef"`;
  await deleteStoredImages(storage, doomed);
  return doomed.length;
}

/** The files of scan rows already deleted. A file that will not go is left behind rather than failing the caller. */
export async function deleteStoredImages(storage: BlobStorage, scans: { imageRef: string; normalizedImageRef: string | null }[]): Promise<void> {
  for (const s of scans) {
    await storage.delete(s.imageRef).catch(() => {});
    if (s.normalizedImageRef) await storage.delete(s.normalizedImageRef).catch(() => {});
  }
}
