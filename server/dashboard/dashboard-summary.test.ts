// The home page's figures, through the real tRPC router on a database of this file's own (the
// campaigns part reads the latest campaigns of the whole team, and other files create
// campaigns in the shared test database at the same time).
import { afterAll, describe, expect, it } from "vitest";
import { usePrivateDatabase } from "../testing/private-database";

const privateDb = await usePrivateDatabase("dashboard");
const { getDb, closeDb } = await import("../db");
const { makeUser, callerFor } = await import("../testing/fixtures");
const { makeContacts, makeCampaign } = await import("../campaigns/test-helpers");

afterAll(async () => {
  await closeDb();
  await privateDb.drop();
});

const HOUR = 3600_000;

describe("dashboard.summary", () => {
  it("counts the caller's own pending drafts (not expired, not another rep's) and says when the next one expires", async () => {
    const db = getDb();
    const rep = await makeUser("REP");
    const other = await makeUser("REP");
    const draft = (userId: string, expiresInMs: number, status: "PENDING_REVIEW" | "CONFIRMED" = "PENDING_REVIEW") =>
      db.draftContact.create({ data: { userId, source: "text_input", extractedData: {}, confidenceData: {}, status, expiresAt: new Date(Date.now() + expiresInMs) } });
    const soonest = await draft(rep.id, 2 * HOUR);
    await draft(rep.id, 20 * HOUR);
    await draft(rep.id, -HOUR); // expired, not yet cleaned up
    await draft(rep.id, 5 * HOUR, "CONFIRMED");
    await draft(other.id, HOUR); // another rep's, expiring sooner

    const s = await callerFor(rep).dashboard.summary();
    expect(s.drafts).toEqual({ pending: 2, nextExpiresAt: soonest.expiresAt });
    expect(await callerFor(other).dashboard.summary()).toMatchObject({ drafts: { pending: 1 } });
    const none = await callerFor(await makeUser("REP")).dashboard.summary();
    expect(none.drafts).toEqual({ pending: 0, nextExpiresAt: null });
  });

  it("counts the caller's cards still being read, and their own contacts in all and from the last 7 days", async () => {
    const db = getDb();
    const rep = await makeUser("REP");
    const scan = (status: "QUEUED" | "PROCESSING" | "DONE" | "FAILED", i: number) =>
      db.cardScan.create({ data: { userId: rep.id, status, imageRef: "x", sha256: `dash-${rep.id}-${i}`, mimeType: "image/jpeg", byteSize: 1, width: 1, height: 1 } });
    await Promise.all([scan("QUEUED", 1), scan("PROCESSING", 2), scan("DONE", 3), scan("FAILED", 4)]);
    const { ids } = await makeContacts(3, { ownerId: rep.id });
    await db.contact.update({ where: { id: ids[0] }, data: { createdAt: new Date(Date.now() - 8 * 24 * HOUR) } });
    await makeContacts(2, { ownerId: (await makeUser("REP")).id });

    const s = await callerFor(rep).dashboard.summary();
    expect(s.scansInProgress).toBe(2);
    expect(s.contacts).toEqual({ mine: 3, mineThisWeek: 2 });
  });

  it("gives admins three campaigns with their progress (those under way first, then the latest), and reps no campaigns at all", async () => {
    const admin = await makeUser("ADMIN");
    const made = [];
    for (const n of [1, 2, 3, 4]) made.push(await makeCampaign(admin, `dash-${n}`, { name: `Dashboard campaign ${n}` }));

    const s = await callerFor(admin).dashboard.summary();
    expect(s.campaigns!.map((c) => c.name)).toEqual(["Dashboard campaign 4", "Dashboard campaign 3", "Dashboard campaign 2"]);
    expect(s.campaigns![0]).toEqual({ id: made[3].id, name: "Dashboard campaign 4", status: "DRAFT", total: 0, sent: 0, notSent: 0, percent: 0, needsAttention: 0, summary: "" });

    const rep = await callerFor(await makeUser("REP")).dashboard.summary();
    expect(rep).not.toHaveProperty("campaigns");

    // A campaign under way (here paused by the auto-pause) comes first, however many drafts are newer.
    await getDb().campaign.update({ where: { id: made[0].id }, data: { status: "PAUSED", pausedReason: "Paused automatically after 25 failures in a row." } });
    for (const n of [5, 6, 7]) await makeCampaign(admin, `dash-${n}`, { name: `Dashboard campaign ${n}` });
    const later = await callerFor(admin).dashboard.summary();
    expect(later.campaigns!.map((c) => [c.name, c.status])).toEqual([["Dashboard campaign 1", "PAUSED"], ["Dashboard campaign 7", "DRAFT"], ["Dashboard campaign 6", "DRAFT"]]);
  });

  it("is refused without a session", async () => {
    await expect(callerFor(null).dashboard.summary()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
