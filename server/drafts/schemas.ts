import { z } from "zod";

const text = (max: number) => z.string().trim().max(max).nullable().optional();

/** The seven reviewable fields. Empty strings are treated as "no value". */
export const draftFieldsInput = z.object({
  fullName: text(200),
  title: text(200),
  company: text(200),
  email: text(254),
  phone: text(40),
  website: text(253),
  address: text(500),
});
export type DraftFieldsInput = z.infer<typeof draftFieldsInput>;

export const FIELD_KEYS = ["fullName", "title", "company", "email", "phone", "website", "address"] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

export const draftIdInput = z.object({ id: z.string().uuid() });
export const updateDraftInput = z.object({ id: z.string().uuid(), fields: draftFieldsInput });
export const confirmDraftInput = z.object({ id: z.string().uuid(), mergeInto: z.string().uuid().optional(), force: z.boolean().optional() });
export const fromTextInput = z.object({ text: z.string().trim().min(1, "Paste some text first").max(20_000, "At most 20,000 characters") });
