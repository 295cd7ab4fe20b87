// campaign.finished fires once, from the single UPDATE that finishes a campaign.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { finalizeIfDone } from "../campaigns/finalize";

describe("campaign.finished webhook event", () => {
  it("is queued exactly once when a campaign finishes, with its final status and counts", async () => {
    const db = getDb();
    const hook = await db.webhook.create({ data: { url: "http://127.0.0.1:9/never", events: ["campaign.finished"], secret: "whsec_test" } });
    const campaign = await db.campaign.create({
      data: { name: "Finish me", fromName: "A", fromEmail: "a@example.com", subject: "S", html: "<p>x</p>", text: "x", status: "SENDING", fanoutDone: true },
    });
    await db.campaignRecipient.createMany({
      data: [
        { campaignId: campaign.id, contactId: randomUUID(), email: "a@x.example", batchNo: 0, status: "SENT" },
        { campaignId: campaign.id, contactId: randomUUID(), email: "b@x.example", batchNo: 0, status: "FAILED" },
      ],
    });
    const [first, second] = await Promise.all([finalizeIfDone(db, campaign.id), finalizeIfDone(db, campaign.id)]);
    expect([first, second].filter(Boolean)).toEqual(["SENT_WITH_ERRORS"]);
    const deliveries = await db.webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].event).toBe("campaign.finished");
    expect(deliveries[0].payload).toMatchObject({ data: { campaign: { id: campaign.id, status: "SENT_WITH_ERRORS", counts: { SENT: 1, FAILED: 1 } } } });
    await db.webhook.delete({ where: { id: hook.id } });
  });
});
