// The public unsubscribe action: a valid signed token adds its address to the
// suppression list (idempotent). Every later fan-out and every claim skips it.
import type { Db } from "../db";
import { verifyUnsubscribeToken } from "../mail/unsubscribe-token";

export async function unsubscribeWithToken(db: Db, token: string | null | undefined): Promise<{ email: string; alreadySuppressed: boolean }> {
  const p = verifyUnsubscribeToken(token);
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
export function describeUnsubscribeToken(token: string | null | undefined): { email: string } {
  return { email: verifyUnsubscribeToken(token).email };
}
