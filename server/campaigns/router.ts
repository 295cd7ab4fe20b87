// Campaigns: admin only, every procedure. Thin: each calls one domain function.
import { adminProcedure, createTRPCRouter } from "../trpc/init";
import { audienceInput, audienceSampleInput, campaignIdInput, createCampaignInput, launchInput, previewInput, recipientsInput, scheduleInput, testSendInput, updateCampaignInput } from "./schemas";
import { audienceOptions, countAudience, sampleAudience } from "./audience";
import { getCampaign, listCampaigns, listRecipients } from "./campaign-view";
import { createCampaign, deleteCampaign, duplicateCampaign, updateCampaign } from "./save-campaign";
import { previewCampaign } from "./preview-campaign";
import { sendTestEmail } from "./test-send";
import { checkLaunch, launchCampaign, scheduleCampaign, unscheduleCampaign } from "./launch-campaign";
import { cancelCampaign, pauseCampaign, resumeCampaign, retryRecipients } from "./control-campaign";
import { MERGE_TAGS } from "../mail/templates";
import { defaultSender } from "../mail/transport";

export const campaignsRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listCampaigns(ctx.db)),
  get: adminProcedure.input(campaignIdInput).query(({ ctx, input }) => getCampaign(ctx.db, input.id)),
  recipients: adminProcedure.input(recipientsInput).query(({ ctx, input }) => listRecipients(ctx.db, input)),
  defaults: adminProcedure.query(() => ({ sender: defaultSender(), mergeTags: MERGE_TAGS })),
  audienceOptions: adminProcedure.query(({ ctx }) => audienceOptions(ctx.db)),
  audienceCount: adminProcedure.input(audienceInput).query(({ ctx, input }) => countAudience(ctx.db, input)),
  audienceSample: adminProcedure.input(audienceSampleInput).query(({ ctx, input }) => sampleAudience(ctx.db, input.audience, input.limit, input.search)),
  create: adminProcedure.input(createCampaignInput).mutation(({ ctx, input }) => createCampaign(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(updateCampaignInput).mutation(({ ctx, input }) => updateCampaign(ctx.db, ctx.actor, input.id, input.fields, input.expectedUpdatedAt)),
  delete: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => deleteCampaign(ctx.db, input.id)),
  duplicate: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => duplicateCampaign(ctx.db, ctx.actor, input.id)),
  preview: adminProcedure.input(previewInput).query(({ ctx, input }) => previewCampaign(ctx.db, input)),
  testSend: adminProcedure.input(testSendInput).mutation(({ ctx, input }) => sendTestEmail(ctx.db, ctx.actor, input.id, input.contactId)),
  checkLaunch: adminProcedure.input(launchInput).query(({ ctx, input }) => checkLaunch(ctx.db, input.id, input.expectedUpdatedAt)),
  launch: adminProcedure.input(launchInput).mutation(({ ctx, input }) => launchCampaign(ctx.db, ctx.actor, input.id, undefined, input.expectedUpdatedAt)),
  schedule: adminProcedure.input(scheduleInput).mutation(({ ctx, input }) => scheduleCampaign(ctx.db, input.id, input.at, undefined, input.expectedUpdatedAt)),
  unschedule: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => unscheduleCampaign(ctx.db, input.id)),
  pause: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => pauseCampaign(ctx.db, ctx.actor, input.id)),
  resume: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => resumeCampaign(ctx.db, input.id)),
  cancel: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => cancelCampaign(ctx.db, input.id)),
  retryFailed: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => retryRecipients(ctx.db, input.id, "FAILED")),
  retryUncertain: adminProcedure.input(campaignIdInput).mutation(({ ctx, input }) => retryRecipients(ctx.db, input.id, "UNCERTAIN")),
});
