import { z } from "zod";

/** What a CSV column can be mapped to. */
export const IMPORT_FIELDS = [
  "ignore", "fullName", "firstName", "lastName", "title", "company", "email", "phone",
  "website", "linkedinUrl", "address", "notes", "tags", "connectedOn",
  // Numbers beyond "phone" (Contact.otherPhones): one typed column each, or a list ("mobile +49…; fax +49…").
  "mobilePhone", "workPhone", "homePhone", "fax", "otherPhones",
  // A contact has one email and one website; more go into its notes ("Other emails: …"), see read-rows.ts.
  "otherEmails", "otherWebsites",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const importFieldSchema = z.enum(IMPORT_FIELDS);
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  ignore: "(ignore)", fullName: "Full name", firstName: "First name", lastName: "Last name", title: "Title / position",
  company: "Company", email: "Email", phone: "Phone", website: "Website", linkedinUrl: "LinkedIn URL", address: "Address",
  notes: "Notes", tags: "Tags", connectedOn: "Connected on (LinkedIn)",
  mobilePhone: "Mobile phone", workPhone: "Work phone", homePhone: "Home phone", fax: "Fax", otherPhones: "Other phones (list)",
  otherEmails: "Other emails (to notes)", otherWebsites: "Other websites (to notes)",
};

export const duplicatePolicySchema = z.enum(["skip", "merge", "create"]);
export type DuplicatePolicy = z.infer<typeof duplicatePolicySchema>;

export const mappingSchema = z.array(importFieldSchema).max(500);

// tRPC bodies are capped at 1 MB (server/trpc/http-handler.ts); bigger files go through
// POST /api/contacts/import (10 MB).
export const importCsvInput = z.object({
  csv: z.string().min(1).max(1_000_000),
  onDuplicate: duplicatePolicySchema,
  mapping: mappingSchema.optional(),
  fileName: z.string().max(255).optional(),
});
export const importVcardInput = z.object({
  vcard: z.string().min(1).max(1_000_000),
  onDuplicate: duplicatePolicySchema,
  fileName: z.string().max(255).optional(),
});
export const previewImportInput = z.object({
  text: z.string().min(1).max(400_000),
  fileName: z.string().max(255).optional(),
});
