// What the campaign pages show as progress: a cancelled campaign reads as what was sent and
// what was not ("675 sent of 1,987 · 1,312 not sent (cancelled)"), never as complete, while
// the contacts skipped on purpose at fan-out still count as handled. Real PostgreSQL, the real
// launch/fan-out/cancel code and the tRPC router; only the sends are recorded by SQL (what
// send-batch.ts writes), since no SMTP server matters to these figures.
import { describe, expect, it, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { callerFor, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { runFanout } from "./fan-out";
import { getCampaign, progressSummary, type RecipientCounts } from "./campaign-view";
import { makeCampaign, makeContacts, recipientRows } from "./test-helpers";

let admin: Actor;
beforeAll(async () => {
  admin = await makeUser("ADMIN");
});

const counts = (over: Partial<RecipientCounts>): RecipientCounts => ({ PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0, SKIPPED: 0, UNCERTAIN: 0, ...over });

/** A launched campaign with its recipient rows made (n with an email, `noEmail` without). */
async function launched(n: number, noEmail = 0) {
  const tag = `v-${randomUUID().slice(0, 6)}`;
  await makeContacts(n, { ownerId: admin.id, tag });
  if (noEmail) await makeContacts(noEmail, { ownerId: admin.id, tag, emailOf: () => null });
  const c = await makeCampaign(admin, tag);
  await callerFor(admin).campaigns.launch({ id: c.id });
  await runFanout(getDb(), c.id, { enqueueBatches: async () => {}, chunkSize: 100 });
  return c;
}

async function mark(campaignId: string, status: "SENT" | "FAILED", howMany: number) {
  const rows = (await recipientRows(campaignId)).filter((r) => r.status === "PENDING").slice(0, howMany);
  await getDb().campaignRecipient.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status, sentAt: status === "SENT" ? new Date() : null, reason: status === "FAILED" ? "550 no such user" : null } });
}

describe("a cancelled campaign's progress", () => {
  it("shows what was sent and what the cancel left unsent, not 100%, in the campaign, the list and the home page", async () => {
    const c = await launched(6, 1);
    await mark(c.id, "SENT", 2);
    await mark(c.id, "FAILED", 1);
    const api = callerFor(admin);
    await api.campaigns.cancel({ id: c.id });

    const view = await api.campaigns.get({ id: c.id });
    expect(view.status).toBe("CANCELLED");
    // 7 rows: 2 sent, 1 failed, 1 skipped at fan-out (no email), 3 skipped by the cancel.
    expect(view.counts).toMatchObject({ SENT: 2, FAILED: 1, SKIPPED: 4, PENDING: 0 });
    expect(view).toMatchObject({ total: 7, notSent: 3, done: 4, percent: 57 });
    expect(view.summary).toBe("2 sent of 7 · 3 not sent (cancelled) · 1 failed · 1 skipped");

    const listed = (await api.campaigns.list()).find((x) => x.id === c.id)!;
    expect(listed).toMatchObject({ percent: 57, notSent: 3, summary: view.summary });
    // The home page shows the three latest campaigns; this one was just created (test files
    // run one at a time).
    const home = (await api.dashboard.summary()).campaigns!.find((x) => x.id === c.id);
    expect(home).toMatchObject({ sent: 2, notSent: 3, total: 7, percent: 57, summary: view.summary });
  });

  it("counts rows still PENDING after the cancel as not sent (the supervisor skips them; nothing sends them)", async () => {
    const c = await launched(3);
    await callerFor(admin).campaigns.cancel({ id: c.id });
    // A row the fan-out inserted after the cancel's UPDATE, before the supervisor's sweep.
    const [row] = await recipientRows(c.id);
    await getDb().campaignRecipient.update({ where: { id: row.id }, data: { status: "PENDING", reason: null } });
    const view = await getCampaign(getDb(), c.id);
    expect(view).toMatchObject({ total: 3, notSent: 3, done: 0, percent: 0 });
    expect(view.summary).toBe("0 sent of 3 · 3 not sent (cancelled)");
  });

  it("a campaign cancelled before its fan-out made any row is 0%, 'nothing sent', not complete", async () => {
    const tag = `v-${randomUUID().slice(0, 6)}`;
    await makeContacts(2, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    await callerFor(admin).campaigns.launch({ id: c.id });
    await callerFor(admin).campaigns.cancel({ id: c.id });
    const view = await getCampaign(getDb(), c.id);
    expect(view).toMatchObject({ status: "CANCELLED", total: 0, notSent: 0, percent: 0 });
    expect(view.summary).toBe("Nothing sent (cancelled before any recipient was prepared)");
  });

  it("a campaign sent to everyone it could reach is 100%; its fan-out skips are 'skipped', not 'not sent'", async () => {
    const c = await launched(2, 1);
    await mark(c.id, "SENT", 2);
    await getDb().campaign.update({ where: { id: c.id }, data: { status: "SENT", finishedAt: new Date() } });
    const view = await getCampaign(getDb(), c.id);
    expect(view).toMatchObject({ total: 3, notSent: 0, done: 3, percent: 100 });
    expect(view.summary).toBe("2 sent of 3 · 1 skipped");
  });
});

describe("progressSummary", () => {
  it("formats thousands and leaves out the parts that are zero", () => {
    expect(progressSummary("CANCELLED", counts({ SENT: 675, SKIPPED: 1312 }), 1312)).toBe("675 sent of 1,987 · 1,312 not sent (cancelled)");
    expect(progressSummary("SENT_WITH_ERRORS", counts({ SENT: 1_000_000, FAILED: 3 }), 0)).toBe("1,000,000 sent of 1,000,003 · 3 failed");
    expect(progressSummary("SENT_WITH_ERRORS", counts({ SENT: 5, UNCERTAIN: 2 }), 0)).toBe("5 sent of 7 · 2 uncertain");
    expect(progressSummary("SENDING", counts({ SENT: 10, PENDING: 90, SENDING: 5 }), 0)).toBe("10 sent of 105");
  });

  it("is empty for a draft and says 'nothing sent' for a finished campaign without recipients", () => {
    expect(progressSummary("DRAFT", counts({}), 0)).toBe("");
    expect(progressSummary("QUEUED", counts({}), 0)).toBe("");
    expect(progressSummary("SENT", counts({}), 0)).toBe("Nothing sent (no recipients)");
  });

  it("counts cancel skips only for a cancelled campaign, and never more than the SKIPPED rows", () => {
    // Outside CANCELLED, skipped rows are the fan-out's, whatever the caller passes.
    expect(progressSummary("SENT", counts({ SENT: 1, SKIPPED: 2 }), 2)).toBe("1 sent of 3 · 2 skipped");
    expect(progressSummary("CANCELLED", counts({ SENT: 1, SKIPPED: 2 }), 50)).toBe("1 sent of 3 · 2 not sent (cancelled)");
    expect(progressSummary("CANCELLED", counts({ SENT: 1, SKIPPED: 2 }), -5)).toBe("1 sent of 3 · 2 skipped");
  });
});
