// Creating and editing campaigns. Only a DRAFT (or a SCHEDULED one, which goes back to
// DRAFT) can change: a launched campaign's content is the record of what was sent.
import type { Db } from "../db";
import { Prisma } from "../db";
import { AppError } from "../errors";
import type { Actor } from "../trpc/context";
import { checkTemplates } from "../mail/templates";
import { findCampaign, getCampaign, type CampaignView } from "./campaign-view";
import { assertCurrentVersion } from "./launch-campaign";
import { CAMPAIGN_NAME_MAX, type CampaignFields } from "./schemas";

const EDITABLE = new Set(["DRAFT", "SCHEDULED"]);

export async function createCampaign(db: Db, actor: Actor, input: CampaignFields): Promise<CampaignView> {
  // Syntax errors and refused HTML are 422 at save time; unknown tags are only warnings.
  checkTemplates(input);
  const c = await db.campaign.create({
    data: { ...input, audience: input.audience as Prisma.InputJsonValue, createdById: actor.id },
  });
  return getCampaign(db, c.id);
}

/**
 * A new draft with the campaign's sender, subject, bodies and audience, whatever state the original is in: the
 * way to send a sent or cancelled campaign again (to the audience as it is now) or to start from one. The send
 * log stays with the original; nothing about who already got it is copied.
 */
export async function duplicateCampaign(db: Db, actor: Actor, id: string): Promise<CampaignView> {
  const c = await findCampaign(db, id);
  // Cut to the limit without splitting an emoji (a UTF-16 surrogate pair) in half.
  const name = `Copy of ${c.name}`.slice(0, CAMPAIGN_NAME_MAX).replace(/[\uD800-\uDBFF]$/, "");
  const copy = await db.campaign.create({
    data: { name, fromName: c.fromName, fromEmail: c.fromEmail, subject: c.subject, html: c.html, text: c.text, audience: c.audience as Prisma.InputJsonValue, createdById: actor.id },
  });
  return getCampaign(db, copy.id);
}

export async function updateCampaign(db: Db, _actor: Actor, id: string, fields: Partial<CampaignFields>, expected?: Date): Promise<CampaignView> {
  const c = await findCampaign(db, id);
  if (!EDITABLE.has(c.status)) throw new AppError("CONFLICT", `This campaign is ${c.status.toLowerCase()}; only drafts can be edited. Duplicate it to make an editable copy.`);
  // Two admins editing one draft: the second save would silently replace the first one's.
  assertCurrentVersion(c, expected);
  const merged = { subject: fields.subject ?? c.subject, html: fields.html ?? c.html, text: fields.text ?? c.text };
  checkTemplates(merged);
  if (!merged.html.trim() && !merged.text.trim()) throw new AppError("VALIDATION", "Write an HTML or a plain-text body");
  const r = await db.campaign.updateMany({
    where: { id, status: { in: ["DRAFT", "SCHEDULED"] }, ...(expected ? { updatedAt: expected } : {}) },
    data: { ...fields, audience: fields.audience as Prisma.InputJsonValue | undefined, status: "DRAFT", scheduledAt: null },
  });
  if (r.count === 0) {
    const now = await findCampaign(db, id);
    if (EDITABLE.has(now.status)) assertCurrentVersion(now, expected);
    throw new AppError("CONFLICT", "This campaign was launched meanwhile; it can no longer be edited.");
  }
  return getCampaign(db, id);
}

export async function deleteCampaign(db: Db, id: string): Promise<{ ok: true }> {
  const r = await db.campaign.deleteMany({ where: { id, status: { in: ["DRAFT", "SCHEDULED"] } } });
  if (r.count === 0) {
    await findCampaign(db, id);
    throw new AppError("CONFLICT", "Only drafts can be deleted; a launched campaign keeps its send log.");
  }
  return { ok: true };
}
