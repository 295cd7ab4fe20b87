-- Admins can disable a user, and a session can be revoked without waiting for its 7-day expiry.
-- "disabledAt" NULL = active. "sessionVersion" is copied into the session token at sign-in;
-- a token whose version differs from the row's is refused (raised on disable and on an admin
-- password reset), so re-enabling a user never revives a session issued before the disable.
-- Both are read through a per-process cache with a 5 s TTL (server/auth/user-state.ts).
ALTER TABLE "User" ADD COLUMN IF NOT EXISTS "disabledAt" TIMESTAMPTZ(3);
ALTER TABLE "User" ADD COLUMN IF NOT EXISTS "sessionVersion" INTEGER NOT NULL DEFAULT 0;
