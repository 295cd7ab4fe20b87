// Authoring API, validation errors, and launch, with the real database and queue.
import { describe, expect, it, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { callerFor, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { getQueue, QUEUE_NAMES } from "../queues/definitions";
import { makeCampaign, makeContacts } from "./test-helpers";
import { listCampaignsForContact } from "./list-for-contact";

let admin: Actor;
let rep: Actor;

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  rep = await makeUser("REP");
});

describe("authoring", () => {
  it("creates, reads, lists and updates a draft, and counts its audience", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(3, { ownerId: admin.id, tag });
    await makeContacts(1, { ownerId: admin.id, tag, emailOf: () => null });
    const api = callerFor(admin);
    const c = await makeCampaign(admin, tag);
    expect(c).toMatchObject({ status: "DRAFT", audience: { kind: "tag", tag }, total: 0 });
    expect(await api.campaigns.audienceCount({ kind: "tag", tag })).toEqual({ total: 4, sendable: 3, noEmail: 1, suppressed: 0 });
    const updated = await api.campaigns.update({ id: c.id, fields: { subject: "New subject {{company}}" } });
    expect(updated.subject).toBe("New subject {{company}}");
    expect((await api.campaigns.get({ id: c.id })).name).toBe(`Campaign ${tag}`);
    expect((await api.campaigns.list()).map((x) => x.id)).toContain(c.id);
  });

  it("previews the email for a chosen contact, with escaping, and warns about unknown tags", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { ids } = await makeContacts(1, { ownerId: admin.id, tag });
    await getDb().contact.update({ where: { id: ids[0] }, data: { fullName: "Ann <b>Bold</b> Lee", company: "A&B" } });
    const p = await callerFor(admin).campaigns.preview({ subject: "Hi {{firstName}}", html: "<p>{{fullName}} at {{company}} {{favouriteColour}}</p>", text: "{{company}}", contactId: ids[0] });
    expect(p.subject).toBe("Hi Ann");
    expect(p.html).toBe("<p>Ann &lt;b&gt;Bold&lt;/b&gt; Lee at A&amp;B </p>");
    expect(p.text).toBe("A&B");
    expect(p.warnings).toEqual([expect.objectContaining({ field: "html", line: 1, tag: "favouriteColour" })]);
  });

  it("rejects a template syntax error with its line (422)", async () => {
    const err = await callerFor(admin).campaigns.preview({ subject: "ok", html: "<p>line 1</p>\n<p>{{firstName}</p>", text: "" }).catch((e) => e);
    expect(err).toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(err.message).toMatch(/html has a template syntax error on line 2/);
    await expect(makeCampaign(admin, "x", { text: "{{#if firstName}}\nhello {{/unless}}" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/line 1|line 2/) });
  });

  it("answers a helper or partial the same way at save, preview, test send and launch (422, one clear message)", async () => {
    const api = callerFor(admin);
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(1, { ownerId: admin.id, tag });
    const html = '<p>{{#each items}}x{{/each}} {{lookup . "a"}} {{> partial}}</p>';
    const message = "The html uses an unknown helper {{#each}} on line 1: only {{#if …}} and {{#unless …}} blocks are supported.";
    const expected = { code: "UNPROCESSABLE_CONTENT", message };
    await expect(makeCampaign(admin, tag, { html })).rejects.toMatchObject(expected);
    await expect(api.campaigns.preview({ subject: "s", html, text: "" })).rejects.toMatchObject(expected);
    // A draft saved before this check existed (written directly): test send and launch refuse it alike.
    const ok = await makeCampaign(admin, tag);
    await getDb().campaign.update({ where: { id: ok.id }, data: { html } });
    await expect(api.campaigns.testSend({ id: ok.id })).rejects.toMatchObject(expected);
    await expect(api.campaigns.launch({ id: ok.id })).rejects.toMatchObject(expected);
    await expect(api.campaigns.update({ id: ok.id, fields: { html: "{{> footer}}" } })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/^The html includes a partial \{\{> footer\}\} on line 1: partials are not supported/) });
    expect((await api.campaigns.get({ id: ok.id })).status).toBe("DRAFT");
  });

  it("refuses a 10 KB subject and HTML with <script> (422)", async () => {
    await expect(makeCampaign(admin, "x", { subject: "s".repeat(10_240) })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    const err = await makeCampaign(admin, "x", { html: "<p>hi</p>\n<script>alert(1)</script>" }).catch((e) => e);
    expect(err).toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(err.message).toMatch(/<script> tag on line 2/);
  });

  it("forbids reps every campaign procedure (403)", async () => {
    const api = callerFor(rep);
    const id = randomUUID();
    const calls: Array<() => Promise<unknown>> = [
      () => api.campaigns.list(),
      () => api.campaigns.get({ id }),
      () => api.campaigns.create({ name: "x", fromName: "x", fromEmail: "a@b.co", subject: "s", html: "h", text: "t", audience: { kind: "all" } }),
      () => api.campaigns.audienceCount({ kind: "all" }),
      () => api.campaigns.preview({ subject: "s", html: "h", text: "t" }),
      () => api.campaigns.launch({ id }),
      () => api.campaigns.pause({ id }),
      () => api.campaigns.retryFailed({ id }),
      () => api.campaigns.recipients({ id, limit: 10 }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("launch", () => {
  it("refuses an empty audience and unknown merge tags (422)", async () => {
    const api = callerFor(admin);
    const empty = await makeCampaign(admin, `nobody-${randomUUID()}`);
    await expect(api.campaigns.launch({ id: empty.id })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/audience is empty/) });
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(2, { ownerId: admin.id, tag });
    const unknown = await makeCampaign(admin, tag, { text: "Hi {{nickname}}" });
    await expect(api.campaigns.launch({ id: unknown.id })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/^Fix the template before launching: unknown merge tag \{\{nickname\}\} \(text line 1\)\. Known tags: firstName,/) });
  });

  it("answers queued, enqueues exactly one job, and a second launch is a no-op that says so", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(5, { ownerId: admin.id, tag });
    const api = callerFor(admin);
    const c = await makeCampaign(admin, tag);
    const first = await api.campaigns.launch({ id: c.id });
    expect(first).toMatchObject({ status: "QUEUED", alreadyLaunched: false });
    const second = await api.campaigns.launch({ id: c.id });
    expect(second).toMatchObject({ alreadyLaunched: true, message: expect.stringMatching(/Already launched/) });
    const jobs = (await getQueue(QUEUE_NAMES.campaign).getJobs(["waiting", "delayed", "active", "completed", "prioritized"])).filter((j) => j.data?.campaignId === c.id);
    expect(jobs.map((j) => j.name)).toEqual(["prepare"]);
    // The draft can no longer be edited; cancelling makes a later launch a 409.
    await expect(api.campaigns.update({ id: c.id, fields: { name: "x" } })).rejects.toMatchObject({ code: "CONFLICT" });
    await api.campaigns.cancel({ id: c.id });
    await expect(api.campaigns.launch({ id: c.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/cancelled/) });
  });

  it("a cancelled campaign is duplicated into an editable draft with the same content and audience, and no send log", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(2, { ownerId: admin.id, tag });
    const api = callerFor(admin);
    const c = await makeCampaign(admin, tag, { text: "Hello {{firstName}}" });
    await api.campaigns.launch({ id: c.id });
    await api.campaigns.cancel({ id: c.id });
    // The messages that point here name a feature that exists.
    await expect(api.campaigns.launch({ id: c.id })).rejects.toMatchObject({ message: expect.stringMatching(/Duplicate it to send it again/) });

    const copy = await api.campaigns.duplicate({ id: c.id });
    expect(copy.id).not.toBe(c.id);
    expect(copy).toMatchObject({ status: "DRAFT", name: `Copy of Campaign ${tag}`, subject: c.subject, text: "Hello {{firstName}}", html: c.html, fromName: c.fromName, fromEmail: c.fromEmail, audience: { kind: "tag", tag }, total: 0 });
    expect(await getDb().campaignRecipient.count({ where: { campaignId: copy.id } })).toBe(0);
    expect((await api.campaigns.update({ id: copy.id, fields: { subject: "Again" } })).subject).toBe("Again");
    // The original is untouched.
    expect(await api.campaigns.get({ id: c.id })).toMatchObject({ status: "CANCELLED", subject: c.subject });
  });

  it("duplicate: a 200-character name stays within the limit; an unknown id is 404; a rep is 403", async () => {
    const api = callerFor(admin);
    const long = await makeCampaign(admin, `t-${randomUUID().slice(0, 6)}`);
    await api.campaigns.update({ id: long.id, fields: { name: "N".repeat(200) } });
    const copy = await api.campaigns.duplicate({ id: long.id });
    expect(copy.name).toBe(`Copy of ${"N".repeat(192)}`);
    // An emoji across the limit is left out whole, never cut into half a character.
    await api.campaigns.update({ id: long.id, fields: { name: `${"N".repeat(190)}😀😀` } });
    expect((await api.campaigns.duplicate({ id: long.id })).name).toBe(`Copy of ${"N".repeat(190)}😀`);
    await expect(api.campaigns.duplicate({ id: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.campaigns.duplicate({ id: "not-a-uuid" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(callerFor(rep).campaigns.duplicate({ id: long.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a launch, schedule or save confirmed on an older version is refused (409) and does nothing; the current version goes through", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(2, { ownerId: admin.id, tag });
    const api = callerFor(admin);
    const c = await makeCampaign(admin, tag);
    const seen = (await api.campaigns.get({ id: c.id })).updatedAt;
    // Another admin saves meanwhile (no expected version: a script).
    await new Promise((r) => setTimeout(r, 5));
    const theirs = await api.campaigns.update({ id: c.id, fields: { subject: "Version B" } });
    const stale = { code: "CONFLICT", message: expect.stringMatching(/^Someone saved this campaign after your page loaded it/) };
    await expect(api.campaigns.checkLaunch({ id: c.id, expectedUpdatedAt: seen })).rejects.toMatchObject(stale);
    await expect(api.campaigns.launch({ id: c.id, expectedUpdatedAt: seen })).rejects.toMatchObject(stale);
    await expect(api.campaigns.schedule({ id: c.id, at: new Date(Date.now() + 3600_000), expectedUpdatedAt: seen })).rejects.toMatchObject(stale);
    await expect(api.campaigns.update({ id: c.id, fields: { subject: "Version A2" }, expectedUpdatedAt: seen })).rejects.toMatchObject(stale);
    expect(await api.campaigns.get({ id: c.id })).toMatchObject({ status: "DRAFT", subject: "Version B" });

    // A version that is not a date is refused as input, not compared.
    await expect(api.campaigns.launch({ id: c.id, expectedUpdatedAt: "yesterday" as never })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(await api.campaigns.checkLaunch({ id: c.id, expectedUpdatedAt: theirs.updatedAt })).toMatchObject({ total: 2, sendable: 2, subject: "Version B" });
    expect(await api.campaigns.launch({ id: c.id, expectedUpdatedAt: theirs.updatedAt })).toMatchObject({ status: "QUEUED", alreadyLaunched: false });
    await api.campaigns.cancel({ id: c.id });
  });

  it("an audience nobody in it can be mailed is refused before the question (checkLaunch) and at launch (422)", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(2, { ownerId: admin.id, tag, emailOf: () => null });
    const api = callerFor(admin);
    const c = await makeCampaign(admin, tag);
    const nobody = { code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/^Nobody in this audience can be emailed/) };
    await expect(api.campaigns.checkLaunch({ id: c.id })).rejects.toMatchObject(nobody);
    await expect(api.campaigns.launch({ id: c.id })).rejects.toMatchObject(nobody);
    expect((await api.campaigns.get({ id: c.id })).status).toBe("DRAFT");
    // An unknown merge tag is answered by the check too, before anyone is asked to confirm.
    const tag2 = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(1, { ownerId: admin.id, tag: tag2 });
    const bad = await makeCampaign(admin, tag2, { subject: "Hello {{first_name}}" });
    await expect(api.campaigns.checkLaunch({ id: bad.id })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/unknown merge tag \{\{first_name\}\}/) });
  });

  it("schedules a launch for later and unschedules it", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(1, { ownerId: admin.id, tag });
    const api = callerFor(admin);
    const c = await makeCampaign(admin, tag);
    await expect(api.campaigns.schedule({ id: c.id, at: new Date(Date.now() - 1000) })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    // Dates PostgreSQL cannot store are a 422 naming the field, not a 500.
    for (const at of ["+275760-09-13T00:00:00Z", "0000-01-01T00:00:00Z", "not a date"]) {
      await expect(api.campaigns.schedule({ id: c.id, at: at as unknown as Date })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    }
    const at = new Date(Date.now() + 3600_000);
    expect(await api.campaigns.schedule({ id: c.id, at })).toMatchObject({ status: "SCHEDULED" });
    expect((await api.campaigns.get({ id: c.id })).scheduledAt?.getTime()).toBe(at.getTime());
    expect(await api.campaigns.unschedule({ id: c.id })).toMatchObject({ status: "DRAFT" });
  });

  it("lists no campaigns for a contact that received none", async () => {
    expect(await listCampaignsForContact(getDb(), randomUUID())).toEqual([]);
  });
});

describe("sender", () => {
  it("accepts the default sender (no-reply@localhost) and refuses a malformed one", async () => {
    const api = callerFor(admin);
    const base = { name: "s", fromName: "Sales Agent", subject: "s", html: "h", text: "t", audience: { kind: "all" as const } };
    await expect(api.campaigns.create({ ...base, fromEmail: "no-reply@localhost" })).resolves.toMatchObject({ fromEmail: "no-reply@localhost" });
    await expect(api.campaigns.create({ ...base, fromEmail: "a b@c" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.campaigns.create({ ...base, fromEmail: "x@y.test\r\nBcc: z@z" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });
});
