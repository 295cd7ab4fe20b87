-- Recipients in doubt (a worker stopped mid-send) across all campaigns, for the metric
-- sales_agent_campaign_recipients_uncertain read at every scrape: a partial index holds only
-- those few rows, so the count never walks a table of millions of sent recipients.
CREATE INDEX IF NOT EXISTS "CampaignRecipient_uncertain_idx" ON "CampaignRecipient" ("campaignId") WHERE "status" = 'UNCERTAIN';
