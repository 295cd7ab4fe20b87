import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc/init";
import { bulkDelete, bulkSetOwner, bulkTag } from "./bulk-contacts";
import { findDuplicateContacts, listDuplicatePairs } from "./find-duplicates";
import { listContacts } from "./list-contacts";
import { createContact, deleteContact, getContact, listOwners, updateContact } from "./manage-contacts";
import { mergeContacts } from "./merge-contacts";
import { mergeExactDuplicates, previewExactDuplicates } from "./merge-exact-duplicates";
import { allowMailAgain, allowMailInput, getMailStatus } from "./mail-status";
import { bulkIdsInput, bulkSetOwnerInput, bulkTagInput, createContactInput, idInput, listContactsInput, mergeContactsInput, mergeExactDuplicatesInput, updateContactInput } from "./schemas";
import { importCsvInput, importVcardInput, previewImportInput } from "../imports/schemas";
import { previewImport } from "../imports/preview-import";
import { startImport } from "../imports/start-import";
import { entityId } from "../validation/entity-id";

export const contactsRouter = createTRPCRouter({
  list: protectedProcedure.input(listContactsInput).query(({ ctx, input }) => listContacts(ctx.db, ctx.actor, input)),
  get: protectedProcedure.input(idInput).query(({ ctx, input }) => getContact(ctx.db, ctx.actor, input.id)),
  create: protectedProcedure.input(createContactInput).mutation(({ ctx, input }) => createContact(ctx.db, ctx.actor, input)),
  update: protectedProcedure.input(updateContactInput).mutation(({ ctx, input }) => updateContact(ctx.db, ctx.actor, input)),
  delete: protectedProcedure.input(idInput).mutation(({ ctx, input }) => deleteContact(ctx.db, ctx.actor, input.id)),
  owners: protectedProcedure.query(({ ctx }) => listOwners(ctx.db)),

  duplicates: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100), search: z.string().max(200).optional() }).optional())
    .query(({ ctx, input }) => listDuplicatePairs(ctx.db, { limit: input?.limit, search: input?.search })),
  duplicatesOf: protectedProcedure
    .input(z.object({ email: z.string().max(300).nullish(), phone: z.string().max(100).nullish(), fullName: z.string().max(500).nullish(), company: z.string().max(500).nullish(), excludeId: entityId().optional() }))
    .query(({ ctx, input }) => findDuplicateContacts(ctx.db, input, { excludeId: input.excludeId })),
  merge: protectedProcedure.input(mergeContactsInput).mutation(({ ctx, input }) => mergeContacts(ctx.db, ctx.actor, input)),
  // Every group of exact duplicates at once (docs/contacts.md, "Merge exact duplicates"); the input is required
  // (`{}` merges up to 1,000 groups), so a call without one merges nothing.
  exactDuplicates: adminProcedure.query(({ ctx }) => previewExactDuplicates(ctx.db, ctx.actor)),
  mergeExactDuplicates: adminProcedure.input(mergeExactDuplicatesInput).mutation(({ ctx, input }) => mergeExactDuplicates(ctx.db, ctx.actor, input, ctx.log)),

  bulkTag: protectedProcedure.input(bulkTagInput).mutation(({ ctx, input }) => bulkTag(ctx.db, ctx.actor, input)),
  bulkDelete: adminProcedure.input(bulkIdsInput).mutation(({ ctx, input }) => bulkDelete(ctx.db, ctx.actor, input.ids)),
  bulkSetOwner: adminProcedure.input(bulkSetOwnerInput).mutation(({ ctx, input }) => bulkSetOwner(ctx.db, ctx.actor, input)),

  // Unsubscribed / bounced: every signed-in user sees it, only an admin lifts it (docs/contacts.md).
  mailStatus: protectedProcedure.input(idInput).query(({ ctx, input }) => getMailStatus(ctx.db, ctx.actor, input.id)),
  allowMail: adminProcedure.input(allowMailInput).mutation(({ ctx, input }) => allowMailAgain(ctx.db, ctx.actor, input, ctx.log)),

  previewImport: protectedProcedure.input(previewImportInput).mutation(({ input }) => previewImport(input)),
  importCsv: protectedProcedure
    .input(importCsvInput)
    .mutation(({ ctx, input }) => startImport(ctx.db, ctx.actor, { text: input.csv, kind: "csv", onDuplicate: input.onDuplicate, mapping: input.mapping, fileName: input.fileName })),
  importVcard: protectedProcedure
    .input(importVcardInput)
    .mutation(({ ctx, input }) => startImport(ctx.db, ctx.actor, { text: input.vcard, kind: "vcard", onDuplicate: input.onDuplicate, fileName: input.fileName })),
});
