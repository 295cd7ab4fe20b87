import { z } from "zod";
import { dbText } from "../validation/db-safe";
import { contactFieldsSchema } from "../contacts/schemas";
import { entityId } from "../validation/entity-id";

// Cleaned before trimming: a NUL (or a lone surrogate) from a broken client or a pasted
// signature is dropped instead of reaching PostgreSQL's jsonb, which refuses it (was a 500).
const text = (max: number, multiline = false) => dbText({ multiline }).trim().max(max).nullable().optional();

/** The seven reviewable fields. Empty strings are treated as "no value". */
export const draftFieldsInput = z.object({
  fullName: text(200),
  title: text(200),
  company: text(200),
  email: text(254),
  phone: text(40),
  website: text(253),
  address: text(500, true),
});
export type DraftFieldsInput = z.infer<typeof draftFieldsInput>;

export const FIELD_KEYS = ["fullName", "title", "company", "email", "phone", "website", "address"] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

/**
 * Tags and the rep's note, kept apart from the seven card fields (they are the rep's, not the
 * card's: no confidence, no word boxes, not part of a merge's "current → new"). The bounds here
 * are only coarse; the real rules are the contacts' (`parseTagInput`: 40 characters a tag, 30
 * tags; notes 10,000), checked in the domain so the 422 says which tag and how long.
 * Each tags entry may hold several, comma-separated, as typed in one box.
 */
// An entry may be as long as a pasted signature, so a 10,000-character paste still gets the
// domain's "the tag … is longer than 40 characters (10,000)" rather than zod's words.
export const draftTagsInput = z.array(z.string().max(20_000)).max(50);
export const draftNotesInput = z.string().max(30_000).nullable();
export const draftExtrasInput = z.object({ tags: draftTagsInput.optional(), notes: draftNotesInput.optional() });
export type DraftExtrasInput = z.infer<typeof draftExtrasInput>;

export const draftIdInput = z.object({ id: entityId() });
/**
 * The contact's other numbers as the rep edited them on the review page: the contacts' own shape and limits
 * ([{type, number}], at most 10, each read like the phone by normalizeOtherPhones). Given, it replaces the card's.
 */
export const draftOtherPhonesInput = contactFieldsSchema.shape.otherPhones;
export type DraftOtherPhonesInput = z.infer<typeof draftOtherPhonesInput>;
export const updateDraftInput = draftExtrasInput.extend({ id: entityId(), fields: draftFieldsInput, otherPhones: draftOtherPhonesInput });
export const confirmDraftInput = z.object({ id: entityId(), mergeInto: entityId().optional(), force: z.boolean().optional() });
// Pasted text keeps its lines (the parser reads them) but loses NUL and other junk first.
export const fromTextInput = z.object({ text: dbText({ multiline: true }).trim().min(1, "Paste some text first").max(20_000, "At most 20,000 characters"), tags: draftTagsInput.optional() });
