// The public unsubscribe action: a valid signed token adds its address to the
// suppression list (idempotent). Every later fan-out and every claim skips it.
import type { Db } from "../db";
import { isAppError } from "../errors";
import { verifyUnsubscribeToken, type UnsubscribePayload } from "../mail/unsubscribe-token";

/**
 * Links mailed before 2026-12-06 by a server whose .env had `UNSUBSCRIBE_SECRET=` (as .env.example has it) were
 * signed with an empty key; that key no longer signs anything (server/env.ts reads the empty line as unset), and
 * refusing those links outright would break every unsubscribe link already in people's mailboxes. An empty key is
 * public, so such a link proves nothing by itself: it is honoured only for a campaign created before the fix,
 * at an address that campaign was really mailed to. Forging one therefore needs a real recipient's address and
 * the id of an older campaign that reached them. docs/security.md, "Unsubscribe links".
 */
export const EMPTY_KEY_LINKS_BEFORE = new Date("2026-12-06T00:00:00Z");

async function payloadOf(db: Db, token: string | null | undefined): Promise<UnsubscribePayload> {
  try {
    return verifyUnsubscribeToken(token);
  } catch (refused) {
    let legacy: UnsubscribePayload;
    try {
      legacy = verifyUnsubscribeToken(token, "");
    } catch (e) {
      // Signed with the empty key but expired: say so; anything else: the first refusal.
      throw isAppError(e) && (e.details as { expired?: boolean } | undefined)?.expired ? e : refused;
    }
    if (!legacy.campaignId || !/^[0-9a-f-]{36}$/i.test(legacy.campaignId)) throw refused;
    const [mailed] = await db.$queryRaw<{ ok: number }[]>`
      SELECT 1 AS ok FROM "CampaignRecipient" r JOIN "Campaign" c ON c."id" = r."campaignId"
      WHERE r."campaignId" = ${legacy.campaignId}::uuid AND r."email" = ${legacy.email} AND c."createdAt" < ${EMPTY_KEY_LINKS_BEFORE}
      LIMIT 1`;
    if (!mailed) throw refused;
    return legacy;
  }
}

export async function unsubscribeWithToken(db: Db, token: string | null | undefined): Promise<{ email: string; alreadySuppressed: boolean }> {
  const p = await payloadOf(db, token);
  const inserted = await db.$executeRaw`
    INSERT INTO "EmailSuppression" ("email", "reason", "detail", "campaignId")
    VALUES (${p.email}, 'UNSUBSCRIBED', 'Unsubscribed through the link in an email', ${p.campaignId}::uuid)
    -- An address already suppressed for another reason (a hard bounce) becomes UNSUBSCRIBED:
    -- the person's own request must survive an admin later clearing a wrong bounce
    -- (contacts.allowMail). An existing unsubscribe keeps its first date.
    ON CONFLICT ("email") DO UPDATE SET "reason" = 'UNSUBSCRIBED', "detail" = EXCLUDED."detail",
      "campaignId" = EXCLUDED."campaignId", "createdAt" = now()
    WHERE "EmailSuppression"."reason" <> 'UNSUBSCRIBED'`;
  return { email: p.email, alreadySuppressed: inserted === 0 };
}

/** For the confirmation page: checks the token without changing anything. */
export async function describeUnsubscribeToken(db: Db, token: string | null | undefined): Promise<{ email: string }> {
  return { email: (await payloadOf(db, token)).email };
}
