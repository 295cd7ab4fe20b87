// A contact's "mail status": whether campaigns reach their address, and if not, why
// (docs/contacts.md, "Mail status"). Suppression is kept per ADDRESS in "EmailSuppression"
// (unsubscribes through a mail link, hard bounces), not per contact: the fan-out and every
// claim join on the address (server/campaigns/fan-out.ts, send-batch.ts), so that is what
// we read here too, with the same address expression (lower(btrim(email)), which is the
// generated column "emailNormalized").
//
// Everyone signed in may SEE it (a rep should know before promising "I'll send you our
// newsletter"); only an admin may lift it ("Allow campaign mail again"), because mailing
// someone who unsubscribed is a consent question the team's admin answers for.
import { z } from "zod";
import type { Db } from "../db";
import { AppError, forbidden, notFound } from "../errors";
import type { Logger } from "../logger";
import type { Actor } from "../trpc/context";
import { EMAIL_SQL_PATTERN } from "../campaigns/audience";
import { entityId } from "../validation/entity-id";

export type MailStatusKind = "receives" | "no_email" | "invalid_email" | "unsubscribed" | "bounced" | "suppressed";

export interface MailStatus {
  /** The address the status is about (the contact's saved, normalized email), or null. */
  email: string | null;
  status: MailStatusKind;
  /** When the address was suppressed. */
  since: Date | null;
  /** The suppression's detail: the SMTP server's answer for a bounce. */
  detail: string | null;
  /** The campaign whose link was used / which bounced; null if unknown or deleted since. */
  campaign: { id: string; name: string } | null;
  /** Other contacts with the same address: lifting the suppression concerns them too. */
  sameAddressContacts: number;
  /** Whether the caller may lift the suppression (admins, and only when there is one). */
  canAllow: boolean;
}

export interface Suppression {
  email: string;
  reason: "UNSUBSCRIBED" | "HARD_BOUNCE" | "MANUAL";
  detail: string | null;
  campaignId: string | null;
  createdAt: Date;
}

const KIND: Record<Suppression["reason"], MailStatusKind> = { UNSUBSCRIBED: "unsubscribed", HARD_BOUNCE: "bounced", MANUAL: "suppressed" };

/** The suppression row of an address (case and surrounding blanks ignored), or null. */
export async function findSuppression(db: Db, email: string): Promise<Suppression | null> {
  const [row] = await db.$queryRaw<Suppression[]>`
    SELECT "email"::text AS "email", "reason"::text AS "reason", "detail", "campaignId"::text AS "campaignId", "createdAt"
    FROM "EmailSuppression" WHERE "email" = btrim(${email})::citext`;
  return row ?? null;
}

interface StatusRow {
  addr: string | null;
  valid: boolean;
  reason: Suppression["reason"] | null;
  detail: string | null;
  since: Date | null;
  campaignId: string | null;
  campaignName: string | null;
  same: number;
}

export async function getMailStatus(db: Db, actor: Actor, contactId: string): Promise<MailStatus> {
  const [r] = await db.$queryRaw<StatusRow[]>`
    SELECT c."emailNormalized" AS addr,
           coalesce(c."emailNormalized" ~ ${EMAIL_SQL_PATTERN}, false) AS valid,
           s."reason"::text AS reason, s."detail", s."createdAt" AS since,
           s."campaignId"::text AS "campaignId", k."name" AS "campaignName",
           (SELECT count(*)::int FROM "Contact" o WHERE o."emailNormalized" = c."emailNormalized" AND o."id" <> c."id") AS same
    FROM "Contact" c
    LEFT JOIN "EmailSuppression" s ON s."email" = c."emailNormalized"::citext
    LEFT JOIN "Campaign" k ON k."id" = s."campaignId"
    WHERE c."id" = ${contactId}::uuid`;
  if (!r) throw notFound("Contact");
  const suppressed = r.reason !== null;
  // A suppression row outlives a contact's address being invalid: it still means "never
  // mail this address", so it wins over invalid_email.
  const status: MailStatusKind = suppressed ? KIND[r.reason!] : r.addr === null ? "no_email" : r.valid ? "receives" : "invalid_email";
  return {
    email: r.addr,
    status,
    since: r.since,
    detail: r.detail,
    campaign: r.campaignId && r.campaignName !== null ? { id: r.campaignId, name: r.campaignName } : null,
    sameAddressContacts: r.same,
    canAllow: suppressed && actor.role === "ADMIN",
  };
}

export const allowMailInput = z.object({
  id: entityId(),
  // The address the admin saw and confirmed. If the contact's email changed since, nothing
  // is lifted (409): the confirmation was about another address.
  email: z.string().max(400),
});
export type AllowMailInput = z.infer<typeof allowMailInput>;

export interface AllowMailResult {
  changed: boolean;
  message: string;
  mailStatus: MailStatus;
}

/**
 * "Allow campaign mail again": removes the address's suppression row, so the next campaign
 * (and the unsent rows of a running one, which re-check at claim time) mails it again.
 * Idempotent: a second click, or two admins at once, change nothing the second time.
 * There is no audit table in this app; the record of who lifted what is one structured
 * log line (event "contact.mail_allowed") with the admin, the address and the removed row.
 */
export async function allowMailAgain(db: Db, actor: Actor, input: AllowMailInput, log?: Logger): Promise<AllowMailResult> {
  // Also checked by adminProcedure; repeated here so no other caller can skip it.
  if (actor.role !== "ADMIN") throw forbidden("Only an admin can allow campaign mail again");
  const contact = await db.$queryRaw<{ addr: string | null }[]>`SELECT "emailNormalized" AS addr FROM "Contact" WHERE "id" = ${input.id}::uuid`;
  if (!contact.length) throw notFound("Contact");
  const addr = contact[0].addr;
  if (addr === null) throw new AppError("CONFLICT", "This contact has no email address any more; reload the page.");
  if (addr !== input.email.trim().toLowerCase()) {
    throw new AppError("CONFLICT", "This contact's email address has changed since the page was loaded; reload the page and confirm again.");
  }
  const removed = await db.$queryRaw<Suppression[]>`
    DELETE FROM "EmailSuppression" WHERE "email" = ${addr}::citext
    RETURNING "email"::text AS "email", "reason"::text AS "reason", "detail", "campaignId"::text AS "campaignId", "createdAt"`;
  const mailStatus = await getMailStatus(db, actor, input.id);
  if (!removed.length) return { changed: false, message: `${addr} was not suppressed: nothing to change.`, mailStatus };
  const row = removed[0];
  log?.info(
    {
      event: "contact.mail_allowed",
      actorId: actor.id,
      actorEmail: actor.email ?? null,
      contactId: input.id,
      email: row.email,
      previousReason: row.reason,
      previousDetail: row.detail,
      previousCampaignId: row.campaignId,
      suppressedAt: row.createdAt.toISOString(),
    },
    "campaign mail allowed again for a suppressed address",
  );
  const was = row.reason === "UNSUBSCRIBED" ? "unsubscribed" : row.reason === "HARD_BOUNCE" ? "bounced" : "suppressed";
  return { changed: true, message: `${addr} will receive campaigns again (it was ${was}).`, mailStatus };
}
