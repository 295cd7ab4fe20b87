import { createTRPCRouter, protectedProcedure } from "../trpc/init";
import { getEnv } from "../env";
import { getStorage } from "../storage";
import { confirmDraftInput, draftIdInput, fromTextInput, updateDraftInput } from "./schemas";
import { getDraft, listDrafts } from "./draft-view";
import { discardDraft, updateDraft } from "./edit-drafts";
import { confirmDraft } from "./confirm-draft";
import { draftFromText } from "./draft-from-text";

export const draftsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listDrafts(ctx.db, ctx.actor)),
  get: protectedProcedure.input(draftIdInput).query(({ ctx, input }) => getDraft(ctx.db, ctx.actor, input.id)),
  update: protectedProcedure.input(updateDraftInput).mutation(({ ctx, input }) => updateDraft(ctx.db, ctx.actor, input.id, input.fields, getEnv().DEFAULT_PHONE_REGION)),
  confirm: protectedProcedure.input(confirmDraftInput).mutation(({ ctx, input }) => confirmDraft(ctx.db, ctx.actor, input)),
  discard: protectedProcedure.input(draftIdInput).mutation(({ ctx, input }) => discardDraft(ctx.db, getStorage(), ctx.actor, input.id)),
  fromText: protectedProcedure.input(fromTextInput).mutation(({ ctx, input }) => draftFromText(ctx.db, ctx.actor, input.text, { region: getEnv().DEFAULT_PHONE_REGION })),
});
