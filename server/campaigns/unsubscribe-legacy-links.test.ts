// Links mailed before the empty-key fix: a server whose .env had `UNSUBSCRIBE_SECRET=` signed them with an empty
// key. They keep working for the people they were mailed to (a real recipient of a campaign created before the
// fix); the same empty-key signature for anyone else, or for a newer campaign, is refused like any forged link.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { makeUser } from "../testing/fixtures";
import { signUnsubscribeToken } from "../mail/unsubscribe-token";
import { EMPTY_KEY_LINKS_BEFORE, describeUnsubscribeToken, unsubscribeWithToken } from "./unsubscribe";
import { makeCampaign, makeContacts } from "./test-helpers";

async function campaignMailedTo(createdAt: Date) {
  const admin = await makeUser("ADMIN");
  const tag = `legacy-${randomUUID().slice(0, 6)}`;
  const { ids, emails } = await makeContacts(1, { ownerId: admin.id, tag });
  const c = await makeCampaign(admin, tag);
  await getDb().$executeRaw`UPDATE "Campaign" SET "createdAt" = ${createdAt} WHERE "id" = ${c.id}::uuid`;
  await getDb().campaignRecipient.create({ data: { campaignId: c.id, contactId: ids[0], email: emails[0], batchNo: 0, status: "SENT" } });
  return { campaignId: c.id, email: emails[0] };
}

const before = new Date(EMPTY_KEY_LINKS_BEFORE.getTime() - 86_400_000);
const emptyKeyLink = (email: string, campaignId: string | null) => signUnsubscribeToken({ email, campaignId }, "");

describe("unsubscribe links signed with the empty key before the fix", () => {
  it("work for the address an older campaign was mailed to", async () => {
    const { campaignId, email } = await campaignMailedTo(before);
    const link = emptyKeyLink(email, campaignId);
    expect(await describeUnsubscribeToken(getDb(), link)).toEqual({ email });
    expect(await unsubscribeWithToken(getDb(), link)).toEqual({ email, alreadySuppressed: false });
    expect(await getDb().emailSuppression.findUnique({ where: { email } })).toMatchObject({ reason: "UNSUBSCRIBED", campaignId });
  });

  it("are refused for another address, a newer campaign, no campaign, or a campaign id that is not one", async () => {
    const old = await campaignMailedTo(before);
    const newer = await campaignMailedTo(new Date(EMPTY_KEY_LINKS_BEFORE.getTime() + 86_400_000));
    const forged = [
      emptyKeyLink(`someone-else-${randomUUID().slice(0, 6)}@example.test`, old.campaignId),
      emptyKeyLink(newer.email, newer.campaignId),
      emptyKeyLink(old.email, null),
      emptyKeyLink(old.email, "not-a-uuid"),
    ];
    for (const link of forged) {
      await expect(unsubscribeWithToken(getDb(), link)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/not valid/) });
    }
    expect(await getDb().emailSuppression.count({ where: { email: { in: [old.email, newer.email] } } })).toBe(0);
  });

  it("an expired one says it expired", async () => {
    const { campaignId, email } = await campaignMailedTo(before);
    const link = signUnsubscribeToken({ email, campaignId, expiresAt: new Date(Date.now() - 1000) }, "");
    await expect(unsubscribeWithToken(getDb(), link)).rejects.toMatchObject({ message: expect.stringMatching(/expired/) });
  });
});
