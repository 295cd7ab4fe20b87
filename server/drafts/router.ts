import { createTRPCRouter, protectedProcedure } from "../trpc/init";
import { getEnv } from "../env";
import { getStorage } from "../storage";
import { confirmDraftInput, draftIdInput, fromTextInput, updateDraftInput } from "./schemas";
import { z } from "zod";

const fromFailedScanInput = z.object({ scanId: entityId() });
import { getDraft, listDrafts } from "./draft-view";
import { discardDraft, updateDraft } from "./edit-drafts";
import { confirmDraft } from "./confirm-draft";
import { draftFromText } from "./draft-from-text";
import { draftFromFailedScan } from "./draft-from-scan";
import { entityId } from "../validation/entity-id";

export const draftsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listDrafts(ctx.db, ctx.actor)),
  get: protectedProcedure.input(draftIdInput).query(({ ctx, input }) => getDraft(ctx.db, ctx.actor, input.id)),
  update: protectedProcedure.input(updateDraftInput).mutation(({ ctx, input }) => updateDraft(ctx.db, ctx.actor, input.id, input.fields, getEnv().DEFAULT_PHONE_REGION, { tags: input.tags, notes: input.notes, otherPhones: input.otherPhones })),
  confirm: protectedProcedure.input(confirmDraftInput).mutation(({ ctx, input }) => confirmDraft(ctx.db, ctx.actor, input)),
  discard: protectedProcedure.input(draftIdInput).mutation(({ ctx, input }) => discardDraft(ctx.db, getStorage(), ctx.actor, input.id)),
  // "Type it in" on a FAILED scan: an empty draft on that scan's photo (idempotent; another rep's scan is 404).
  fromFailedScan: protectedProcedure.input(fromFailedScanInput).mutation(({ ctx, input }) => draftFromFailedScan(ctx.db, getStorage(), ctx.actor, input.scanId)),
  fromText: protectedProcedure.input(fromTextInput).mutation(({ ctx, input }) => draftFromText(ctx.db, ctx.actor, input.text, { region: getEnv().DEFAULT_PHONE_REGION, tags: input.tags })),
});
