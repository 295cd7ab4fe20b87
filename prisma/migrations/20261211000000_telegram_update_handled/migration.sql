-- A Telegram update is remembered when it arrives, so a re-delivery is not handled twice. Remembering it was all the
-- row did: a web process that died while handling it (a deploy, an OOM kill) left the row, and Telegram's
-- re-delivery was answered "duplicate", so the card was never read (hostile review). "handledAt" says the update
-- was handled (or its failure told to the user); a row without it whose "receivedAt" is older than a minute is a
-- claim nobody finished, and the next delivery takes it over (server/telegram/webhook.ts).
ALTER TABLE "TelegramUpdate" ADD COLUMN IF NOT EXISTS "handledAt" TIMESTAMPTZ(3);
-- Rows from before this column were handled or given up on; either way not to be handled again.
UPDATE "TelegramUpdate" SET "handledAt" = "receivedAt" WHERE "handledAt" IS NULL;
