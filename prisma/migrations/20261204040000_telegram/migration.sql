-- Telegram intake: a rep's chat linked through a one-time code, and the update ids
-- already handled (Telegram re-delivers updates).

CREATE TABLE IF NOT EXISTS "TelegramLink" (
  "id"       UUID NOT NULL,
  "userId"   UUID NOT NULL,
  "chatId"   BIGINT NOT NULL,
  "username" TEXT,
  "linkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "TelegramLink_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "TelegramLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS "TelegramLink_userId_key" ON "TelegramLink"("userId");
CREATE UNIQUE INDEX IF NOT EXISTS "TelegramLink_chatId_key" ON "TelegramLink"("chatId");

CREATE TABLE IF NOT EXISTS "TelegramLinkCode" (
  "code"      TEXT NOT NULL,
  "userId"    UUID NOT NULL,
  "expiresAt" TIMESTAMPTZ(3) NOT NULL,
  "usedAt"    TIMESTAMPTZ(3),
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "TelegramLinkCode_pkey" PRIMARY KEY ("code"),
  CONSTRAINT "TelegramLinkCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "TelegramLinkCode_userId_idx" ON "TelegramLinkCode"("userId");

CREATE TABLE IF NOT EXISTS "TelegramUpdate" (
  "updateId"   BIGINT NOT NULL,
  "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "TelegramUpdate_pkey" PRIMARY KEY ("updateId")
);
