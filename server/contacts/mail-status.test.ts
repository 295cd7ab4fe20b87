// Mail status of a contact (unsubscribed / bounced / receives campaigns), lifting it
// ("Allow campaign mail again", admins only), the contacts-list filter, and the public
// unsubscribe link opened a second time. Real database, Redis and route handler.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { signUnsubscribeToken } from "../mail/unsubscribe-token";
import { unsubscribeWithToken } from "../campaigns/unsubscribe";
import { allowMailAgain, findSuppression } from "./mail-status";
import { GET as unsubscribeGET, POST as unsubscribePOST } from "@/app/api/unsubscribe/route";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);

let admin: Actor;
let rep: Actor;
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  rep = await makeUser("REP");
});

/** A contact written straight to SQL, so the address can be what an old import left (case, blanks). */
async function contactWithEmail(email: string | null, name = `Person ${uniq()}`, tags: string[] = []): Promise<string> {
  const [r] = await db().$queryRaw<{ id: string }[]>`
    INSERT INTO "Contact" ("id", "fullName", "email", "ownerId", "tags", "source", "updatedAt")
    VALUES (gen_random_uuid(), ${name}, ${email}, ${rep.id}::uuid, ${tags}::text[], 'manual', now()) RETURNING "id"`;
  return r.id;
}

async function suppress(email: string, reason: "UNSUBSCRIBED" | "HARD_BOUNCE", detail: string | null, campaignId: string | null = null) {
  await db().$executeRaw`INSERT INTO "EmailSuppression" ("email", "reason", "detail", "campaignId") VALUES (${email}, ${reason}::suppression_reason, ${detail}, ${campaignId}::uuid)`;
}

async function makeCampaign(name: string): Promise<string> {
  const c = await callerFor(admin).campaigns.create({
    name, fromName: "Sales", fromEmail: "sales@acme.test", subject: "Hi", html: "<p>Hi</p>", text: "Hi", audience: { kind: "all" },
  });
  return c.id;
}

/** A logger whose lines the test can read (the audit record of allowMail is a log line). */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  return { log: pino({ level: "info" }, stream), lines };
}

describe("contacts.mailStatus", () => {
  it("receives campaigns / no email / invalid address", async () => {
    const ok = await contactWithEmail(`ok-${uniq()}@example.test`);
    const none = await contactWithEmail(null);
    const blank = await contactWithEmail("   ");
    const bad = await contactWithEmail("not-an-address");
    const api = callerFor(rep).contacts;
    expect(await api.mailStatus({ id: ok })).toMatchObject({ status: "receives", since: null, detail: null, campaign: null, canAllow: false });
    expect(await api.mailStatus({ id: none })).toMatchObject({ status: "no_email", email: null });
    // A blank address is no address (the fan-out's nullif(lower(btrim(email)), '')).
    expect(await api.mailStatus({ id: blank })).toMatchObject({ status: "no_email", email: null });
    expect(await api.mailStatus({ id: bad })).toMatchObject({ status: "invalid_email", email: "not-an-address" });
  });

  it("unsubscribed through a campaign's link: the date and the campaign; reps see it, only admins may lift it", async () => {
    const u = uniq();
    const addr = `unsub-${u}@example.test`;
    // An old import left capitals and blanks around the address: the status is about the address campaigns use.
    const id = await contactWithEmail(`  Unsub-${u}@Example.TEST `);
    const twin = await contactWithEmail(addr);
    const campaignId = await makeCampaign(`Spring news ${u}`);
    const before = new Date();
    await unsubscribeWithToken(db(), signUnsubscribeToken({ email: addr, campaignId }));

    const asRep = await callerFor(rep).contacts.mailStatus({ id });
    expect(asRep).toMatchObject({
      email: addr, status: "unsubscribed", detail: "Unsubscribed through the link in an email",
      campaign: { id: campaignId, name: `Spring news ${u}` }, sameAddressContacts: 1, canAllow: false,
    });
    expect(asRep.since!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(await callerFor(admin).contacts.mailStatus({ id: twin })).toMatchObject({ status: "unsubscribed", canAllow: true, sameAddressContacts: 1 });

    // The campaign was deleted since: the status stays, without a campaign to name.
    await db().campaign.delete({ where: { id: campaignId } });
    expect(await callerFor(rep).contacts.mailStatus({ id })).toMatchObject({ status: "unsubscribed", campaign: null });
  });

  it("bounced: the date and the SMTP server's answer", async () => {
    const addr = `bounce-${uniq()}@example.test`;
    const id = await contactWithEmail(addr);
    await suppress(addr, "HARD_BOUNCE", "550 5.1.1 <x>: Recipient address rejected: User unknown");
    expect(await callerFor(rep).contacts.mailStatus({ id })).toMatchObject({
      status: "bounced", detail: "550 5.1.1 <x>: Recipient address rejected: User unknown", campaign: null,
    });
  });

  it("anonymous 401, unknown contact 404, malformed id 422", async () => {
    await expect(callerFor(null).contacts.mailStatus({ id: randomUUID() })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(callerFor(rep).contacts.mailStatus({ id: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(rep).contacts.mailStatus({ id: "'; DROP TABLE \"Contact\"; --" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });
});

describe("contacts.allowMail (Allow campaign mail again)", () => {
  it("a rep is refused (403) and nothing changes, through the API and in the domain function", async () => {
    const addr = `keep-${uniq()}@example.test`;
    const id = await contactWithEmail(addr);
    await suppress(addr, "UNSUBSCRIBED", "Unsubscribed through the link in an email");
    await expect(callerFor(rep).contacts.allowMail({ id, email: addr })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(allowMailAgain(db(), rep, { id, email: addr })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await findSuppression(db(), addr)).toMatchObject({ reason: "UNSUBSCRIBED" });
  });

  it("an admin lifts a wrong hard bounce: campaigns count the address again, the action is logged, a second click changes nothing", async () => {
    const u = uniq();
    const addr = `wrong-bounce-${u}@example.test`;
    const id = await contactWithEmail(addr.toUpperCase());
    const campaignId = await makeCampaign(`Bounced in ${u}`);
    await suppress(addr, "HARD_BOUNCE", "550 mailbox unavailable", campaignId);
    const audience = { kind: "contacts" as const, contactIds: [id] };
    expect(await callerFor(admin).campaigns.audienceCount(audience)).toMatchObject({ suppressed: 1, sendable: 0 });

    const { log, lines } = capturingLogger();
    const r = await allowMailAgain(db(), admin, { id, email: ` ${addr.toUpperCase()} ` }, log);
    expect(r).toMatchObject({ changed: true, message: `${addr} will receive campaigns again (it was bounced).`, mailStatus: { status: "receives", canAllow: false } });
    expect(await findSuppression(db(), addr)).toBeNull();
    expect(await callerFor(admin).campaigns.audienceCount(audience)).toMatchObject({ suppressed: 0, sendable: 1 });
    expect(lines).toEqual([expect.objectContaining({
      level: 30, event: "contact.mail_allowed", actorId: admin.id, actorEmail: admin.email, contactId: id, email: addr,
      previousReason: "HARD_BOUNCE", previousDetail: "550 mailbox unavailable", previousCampaignId: campaignId,
    })]);

    // Two admins at once, or a double click: the second finds nothing to lift.
    const again = await callerFor(admin).contacts.allowMail({ id, email: addr });
    expect(again).toMatchObject({ changed: false, mailStatus: { status: "receives" } });
  });

  it("refuses (409) when the contact's address changed since the admin confirmed, and leaves the suppression alone", async () => {
    const old = `old-${uniq()}@example.test`;
    const now = `new-${uniq()}@example.test`;
    const id = await contactWithEmail(now);
    await suppress(now, "UNSUBSCRIBED", null);
    await expect(callerFor(admin).contacts.allowMail({ id, email: old })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await findSuppression(db(), now)).not.toBeNull();
    const noEmail = await contactWithEmail(null);
    await expect(callerFor(admin).contacts.allowMail({ id: noEmail, email: now })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(callerFor(admin).contacts.allowMail({ id: randomUUID(), email: now })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(admin).contacts.allowMail({ id, email: "x".repeat(5000) })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });

  it("someone who unsubscribes while hard-bounced stays unsubscribed: the row becomes UNSUBSCRIBED, so lifting a bounce never overrides their request", async () => {
    const addr = `both-${uniq()}@example.test`;
    const id = await contactWithEmail(addr);
    await suppress(addr, "HARD_BOUNCE", "550 no such user");
    const r = await unsubscribeWithToken(db(), signUnsubscribeToken({ email: addr }));
    expect(r).toEqual({ email: addr, alreadySuppressed: false });
    expect(await callerFor(rep).contacts.mailStatus({ id })).toMatchObject({ status: "unsubscribed", detail: "Unsubscribed through the link in an email" });
    // A repeated unsubscribe keeps the first date.
    const first = (await findSuppression(db(), addr))!.createdAt;
    expect(await unsubscribeWithToken(db(), signUnsubscribeToken({ email: addr }))).toEqual({ email: addr, alreadySuppressed: true });
    expect((await findSuppression(db(), addr))!.createdAt).toEqual(first);
  });
});

describe("contacts.list({mailStatus: 'suppressed'})", () => {
  it("lists exactly the unsubscribed and bounced contacts, with the other filters, for reps and admins", async () => {
    const tag = `ms-${uniq()}`;
    const u = uniq();
    const unsub = await contactWithEmail(` Unsub-${u}@Example.test`, `A unsub ${u}`, [tag]);
    const bounced = await contactWithEmail(`bounced-${u}@example.test`, `B bounced ${u}`, [tag]);
    await contactWithEmail(`fine-${u}@example.test`, `C fine ${u}`, [tag]);
    await contactWithEmail(null, `D none ${u}`, [tag]);
    const otherTag = await contactWithEmail(`bounced-${u}@example.test`, `E same address, other tag ${u}`, []);
    await suppress(`unsub-${u}@example.test`, "UNSUBSCRIBED", null);
    await suppress(`BOUNCED-${u}@example.test`, "HARD_BOUNCE", "550");

    for (const who of [rep, admin]) {
      const r = await callerFor(who).contacts.list({ tag, mailStatus: "suppressed", sort: "name" });
      expect(r.items.map((i) => i.id)).toEqual([unsub, bounced]);
    }
    expect((await callerFor(admin).contacts.list({ search: u, mailStatus: "suppressed", sort: "name" })).items.map((i) => i.id)).toEqual([unsub, bounced, otherTag]);
    expect((await callerFor(admin).contacts.list({ tag, sort: "name" })).items).toHaveLength(4);
    // Keyset pages work with the filter too.
    const p1 = await callerFor(admin).contacts.list({ search: u, mailStatus: "suppressed", sort: "name", limit: 2 });
    const p2 = await callerFor(admin).contacts.list({ search: u, mailStatus: "suppressed", sort: "name", limit: 2, cursor: p1.nextCursor });
    expect([...p1.items, ...p2.items].map((i) => i.id)).toEqual([unsub, bounced, otherTag]);
    expect(p2.nextCursor).toBeNull();
    // Anything but the known value is a 422.
    await expect(callerFor(admin).contacts.list({ mailStatus: "everyone" as never })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });
});

describe("the unsubscribe link opened again", () => {
  // A fresh client address per run, so the per-IP limit of the public link never trips here.
  const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}-${uniq()}`;
  const req = (method: "GET" | "POST", token: string) =>
    new Request(`http://localhost/api/unsubscribe?token=${encodeURIComponent(token)}`, { method, headers: { "x-forwarded-for": ip } });

  it("asks once; afterwards says 'already unsubscribed' (GET and POST); forged tokens stay 400", async () => {
    const addr = `again-${uniq()}@example.test`;
    const token = signUnsubscribeToken({ email: addr });

    const ask = await unsubscribeGET(req("GET", token));
    expect(ask.status).toBe(200);
    const askHtml = await ask.text();
    expect(askHtml).toContain("Stop sending campaign emails to");
    expect(askHtml).toContain("<form method=\"post\"");

    const done = await unsubscribePOST(req("POST", token));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("<h1>You are unsubscribed</h1>");

    const again = await unsubscribeGET(req("GET", token));
    expect(again.status).toBe(200);
    const againHtml = await again.text();
    expect(againHtml).toContain("<h1>You are already unsubscribed</h1>");
    expect(againHtml).not.toContain("<form");
    expect(againHtml).toContain(addr);
    const today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    expect(againHtml).toContain(`<span data-testid="unsubscribed-since">${today}</span>`);

    const postAgain = await unsubscribePOST(req("POST", token));
    expect(await postAgain.text()).toContain("<h1>You are already unsubscribed</h1>");

    // Tampered or missing tokens: 400 whatever the address's state, and nothing is revealed.
    const [body, mac] = token.split(".");
    const forgedBody = Buffer.from(JSON.stringify({ e: addr, c: null, x: 9_999_999_999 })).toString("base64url");
    for (const bad of [`${forgedBody}.${mac}`, `${body}x.${mac}`, `${body}.${mac}x`, "", "a.b.c", "x".repeat(3000)]) {
      const g = await unsubscribeGET(req("GET", bad));
      expect(g.status, bad.slice(0, 20)).toBe(400);
      expect(await g.text()).not.toContain(addr);
      expect((await unsubscribePOST(req("POST", bad))).status).toBe(400);
    }
  });

  it("an address that hard-bounced still gets the question, and answering it records the unsubscribe", async () => {
    const addr = `bounced-then-asks-${uniq()}@example.test`;
    await suppress(addr, "HARD_BOUNCE", "550 no such user");
    const token = signUnsubscribeToken({ email: addr });
    expect(await (await unsubscribeGET(req("GET", token))).text()).toContain("Stop sending campaign emails to");
    expect(await (await unsubscribePOST(req("POST", token))).text()).toContain("<h1>You are unsubscribed</h1>");
    expect(await findSuppression(db(), addr)).toMatchObject({ reason: "UNSUBSCRIBED" });
    expect(await (await unsubscribeGET(req("GET", token))).text()).toContain("<h1>You are already unsubscribed</h1>");
  });

  it("HTML in the address is escaped on the 'already' page", async () => {
    const addr = `"<img src=x onerror=alert(1)>"@example.test`;
    const token = signUnsubscribeToken({ email: addr });
    await unsubscribePOST(req("POST", token));
    const html = await (await unsubscribeGET(req("GET", token))).text();
    expect(html).toContain("You are already unsubscribed");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
