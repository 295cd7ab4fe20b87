// zod inputs of the contacts router. Field contents (email, phone, lengths) are checked
// by normalizeContactFields so the API and imports share one set of rules; here only
// shapes and coarse bounds are checked.
import { z } from "zod";
import { FIELD_LIMITS, tagSchema } from "./normalize";
import { dbDate, dbText } from "../validation/db-safe";
import { MAX_OTHER_PHONES, OTHER_PHONE_TYPES } from "./other-phones";
import { TAG_SEPARATORS } from "./tags";
import { entityId } from "../validation/entity-id";

export const CONTACT_SOURCES = ["card_scan", "text_input", "telegram", "linkedin_search", "linkedin_connection", "manual"] as const;
export const contactSourceSchema = z.enum(CONTACT_SOURCES);
export const SORTS = ["created", "name", "company"] as const;
export const MAIL_STATUS_FILTERS = ["suppressed"] as const;

const text = (max: number) => z.string().max(max * 2 + 100).nullable().optional();

export const contactFieldsSchema = z.object({
  fullName: z.string().max(FIELD_LIMITS.fullName * 2 + 100).optional(),
  title: text(FIELD_LIMITS.title),
  company: text(FIELD_LIMITS.company),
  email: text(FIELD_LIMITS.email),
  phone: text(FIELD_LIMITS.phone),
  website: text(FIELD_LIMITS.website),
  linkedinUrl: text(FIELD_LIMITS.linkedinUrl),
  address: text(FIELD_LIMITS.address),
  notes: text(FIELD_LIMITS.notes),
  /** Numbers beyond `phone`, each read like `phone` (normalizeOtherPhones); the whole list replaces the stored one. */
  otherPhones: z
    .array(z.object({ type: z.enum(OTHER_PHONE_TYPES), number: z.string().max(FIELD_LIMITS.phone * 2 + 100) }))
    .max(MAX_OTHER_PHONES, `at most ${MAX_OTHER_PHONES} other numbers`)
    .optional(),
});

/**
 * A contact's whole tag list. Only a coarse bound here: the limit of FIELD_LIMITS.tags is counted after
 * normalizeTags (so "VIP" and "vip " are one) by create/update, whose 422 names the `tags` field and says how
 * many to remove. A contact that got more from old data can then be saved by removing tags on its page.
 */
export const tagListSchema = z.array(tagSchema).max(FIELD_LIMITS.tags * 10, `at most ${FIELD_LIMITS.tags} tags`);

export const createContactInput = contactFieldsSchema.extend({
  fullName: z.string().max(FIELD_LIMITS.fullName * 2 + 100),
  source: contactSourceSchema.optional(),
  tags: tagListSchema.optional(),
  ownerId: entityId().optional(),
});
export type CreateContactInput = z.infer<typeof createContactInput>;

export const updateContactInput = contactFieldsSchema.extend({
  id: entityId(),
  tags: tagListSchema.optional(),
  ownerId: entityId().optional(),
});
export type UpdateContactInput = z.infer<typeof updateContactInput>;

export const listContactsInput = z.object({
  // Filters go into SQL as they are: NUL is dropped, and dates stay in PostgreSQL's range (422 naming the field).
  search: dbText().max(200).optional(),
  source: contactSourceSchema.optional(),
  ownerId: entityId().optional(),
  tag: dbText().trim().max(FIELD_LIMITS.tag).optional(),
  createdFrom: dbDate("createdFrom").optional(),
  createdTo: dbDate("createdTo").optional(),
  /** "suppressed": only contacts whose address is unsubscribed or hard-bounced (EmailSuppression). */
  mailStatus: z.enum(MAIL_STATUS_FILTERS).optional(),
  sort: z.enum(SORTS).default("created"),
  cursor: z.string().max(1000).nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListContactsInput = z.input<typeof listContactsInput>;
export type ListContactsQuery = z.output<typeof listContactsInput>;

export const idInput = z.object({ id: entityId() });

export const mergeFieldChoice = z.enum(["keep", "remove"]);
export const MERGEABLE_FIELDS = ["fullName", "title", "company", "email", "phone", "website", "linkedinUrl", "address", "notes", "source", "ownerId", "scanId"] as const;
export type MergeableField = (typeof MERGEABLE_FIELDS)[number];

export const mergeContactsInput = z.object({
  keepId: entityId(),
  removeId: entityId(),
  /** For each field, whose value to keep; a field not named keeps the kept contact's value, or fills its blank. */
  fields: z.partialRecord(z.enum(MERGEABLE_FIELDS), mergeFieldChoice).default({}),
});
export type MergeContactsInput = z.input<typeof mergeContactsInput>;

export const MAX_BULK_IDS = 1000;
export const bulkIdsInput = z.object({ ids: z.array(entityId()).min(1).max(MAX_BULK_IDS, `at most ${MAX_BULK_IDS.toLocaleString("en-US")} contacts at a time`) });
// One tag on many contacts: a separator inside it would make it several (TAG_SEPARATORS), so it is refused here.
export const bulkTagInput = bulkIdsInput.extend({
  tag: tagSchema.refine((t) => !TAG_SEPARATORS.test(t), "One tag at a time: a tag cannot contain , ; or | (they separate tags)"),
  remove: z.boolean().default(false),
});
/** contacts.bulkSetOwner (admins): the selection's new owner, an active user. */
export const bulkSetOwnerInput = bulkIdsInput.extend({ ownerId: entityId() });

/** Groups one contacts.mergeExactDuplicates call merges at most: a call stays within a request's time. */
export const MAX_GROUPS_PER_CALL = 1000;
/** contacts.mergeExactDuplicates (admins): how many groups this call merges at most. */
export const mergeExactDuplicatesInput = z.object({ limit: z.number().int().min(1).max(MAX_GROUPS_PER_CALL).default(MAX_GROUPS_PER_CALL) });
