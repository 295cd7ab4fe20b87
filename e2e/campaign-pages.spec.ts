// The campaign pages tell the truth: a test send or a launch sends what the editor shows (its
// unsaved changes are saved first, and a refused save sends nothing), the launch question says
// how many people it reaches, action messages go once the campaign moves on, a cancelled
// campaign never reads as complete, and the home page follows a sending campaign by itself.
// Mail is checked in the SMTP sink playwright.config.ts starts; the worker is the real one.
import { randomUUID } from "node:crypto";
import { test, expect, sql } from "./fixtures";

const SINK = `http://127.0.0.1:${Number(process.env.E2E_SMTP_PORT ?? 2526) + 1}/messages`;
interface SinkMessage { to: string[]; subject: string }

async function sinkMessages(): Promise<SinkMessage[]> {
  return (await (await fetch(SINK)).json()).messages;
}


const adminId = async () => (await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'admin@example.com'`))[0].id;

/** n contacts with an address and one without, all tagged `tag`. */
async function makeTaggedContacts(tag: string, n: number) {
  const owner = await adminId();
  const people = Array.from({ length: n }, (_, i) => ({ name: `Yan${i + 1} Tester`, email: `${tag}-${i + 1}@example.test` }));
  for (const p of [...people, { name: "Noemail Tester", email: null }]) {
    await sql(`INSERT INTO "Contact" ("id", "fullName", "company", "email", "ownerId", "tags", "source", "updatedAt") VALUES ($1, $2, 'Acme', $3, $4, ARRAY[$5]::text[], 'manual', now())`, [randomUUID(), p.name, p.email, owner, tag]);
  }
  return people;
}

/** A campaign row in any state, with recipient rows made by SQL (what fan-out and sends write). */
async function insertCampaign(name: string, status: string, rows: { status: string; reason: string | null; n: number }[], fanoutDone = true) {
  const id = randomUUID();
  await sql(`INSERT INTO "Campaign" ("id", "name", "fromName", "fromEmail", "subject", "html", "text", "audience", "status", "createdById", "launchedAt", "fanoutDone", "lastActivityAt", "finishedAt", "updatedAt")
    VALUES ($1, $2, 'Sales', 'sales@example.test', 'Hi', '<p>Hi</p>', 'Hi', $3::jsonb, $4::campaign_status, $5, now(), $6, now(), CASE WHEN $7 THEN now() END, now())`,
  [id, name, JSON.stringify({ kind: "tag", tag: `none-${id}` }), status, await adminId(), fanoutDone, ["SENT", "SENT_WITH_ERRORS", "CANCELLED"].includes(status)]);
  let batch = 0;
  for (const r of rows) {
    await sql(`INSERT INTO "CampaignRecipient" ("id", "campaignId", "contactId", "email", "batchNo", "status", "reason", "sentAt")
      SELECT gen_random_uuid(), $1, gen_random_uuid(), 'x' || g || '@example.test', $2, $3::campaign_recipient_status, $4, CASE WHEN $6 THEN now() END
      FROM generate_series(1, $5::int) g`, [id, batch++, r.status, r.reason, r.n, r.status === "SENT"]);
  }
  return id;
}

test.describe.configure({ mode: "serial" });

test("test send and launch send what the editor shows: unsaved changes are saved first, a refused save sends nothing", async ({ page, signIn }) => {
  test.setTimeout(180_000);
  const tag = `e2e-${randomUUID().slice(0, 8)}`;
  const people = await makeTaggedContacts(tag, 2);
  const mineSubjects = async () => (await sinkMessages()).filter((m) => m.subject.includes(tag)).map((m) => ({ to: m.to[0], subject: m.subject }));
  await signIn("admin");

  await page.goto("/campaigns/new");
  await page.getByLabel("Name", { exact: true }).fill(`Pages ${tag}`);
  await page.getByLabel("Subject").fill(`Old ${tag} {{firstName}}`);
  await page.getByLabel("Send to").selectOption("tag");
  await page.getByLabel("Tag", { exact: true }).selectOption(tag);
  await expect(page.getByTestId("recipient-count")).toContainText("2 recipients (3 match");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("preview-subject")).toHaveText(`Old ${tag} Ada`);
  await expect(page.getByTestId("unsaved-note")).toHaveCount(0);

  // The QA repro: change the subject, do not click "Save changes", send a test.
  await page.getByLabel("Subject").fill(`New ${tag} {{firstName}}`);
  await expect(page.getByTestId("unsaved-note")).toBeVisible();
  await expect(page.getByTestId("preview-subject")).toHaveText(`New ${tag} Ada`);
  await page.getByRole("button", { name: "Send test to me" }).click();
  await expect(page.getByTestId("campaign-message")).toHaveText("Changes saved. Test sent to admin@example.com.");
  await expect(page.getByTestId("unsaved-note")).toHaveCount(0);
  await expect.poll(mineSubjects).toEqual([{ to: "admin@example.com", subject: `[Test] New ${tag} Ada` }]);

  // A save the server refuses (a blank subject) sends nothing, and says why.
  await page.getByLabel("Subject").fill("   ");
  await page.getByRole("button", { name: "Send test to me" }).click();
  await expect(page.getByTestId("campaign-message")).toContainText("Not saved, so nothing was sent");
  await expect(page.getByTestId("unsaved-note")).toBeVisible();
  // Declining the launch question keeps the saved changes and launches nothing.
  await page.getByLabel("Subject").fill(`Declined ${tag} {{firstName}}`);
  let question = "";
  page.once("dialog", (d) => { question = d.message(); void d.dismiss(); });
  await page.getByRole("button", { name: "Launch now" }).click();
  await expect(page.getByTestId("campaign-message")).toHaveText("Changes saved. Not launched.");
  expect(question).toContain("Your changes were saved.");
  expect(question).toContain("Send to 2 contacts now?");
  expect(question).toContain("1 more contact matches but is skipped");
  expect(question).toContain(`Subject: Declined ${tag} {{firstName}}`);
  await expect(page.getByTestId("campaign-status")).toHaveAttribute("data-status", "DRAFT");

  // Edit again without saving, and launch: everyone gets the subject on the screen.
  await page.getByLabel("Subject").fill(`Final ${tag} {{firstName}}`);
  await expect(page.getByTestId("unsaved-note")).toBeVisible();
  page.once("dialog", (d) => { question = d.message(); void d.accept(); });
  await page.getByRole("button", { name: "Launch now" }).click();
  await expect(page.getByTestId("campaign-percent")).toHaveText("100%", { timeout: 60_000 });
  await expect(page.getByTestId("campaign-status")).toHaveAttribute("data-status", "SENT", { timeout: 30_000 });
  expect(question).toContain("Send to 2 contacts now?");
  expect(question).toContain(`Subject: Final ${tag} {{firstName}}`);
  await expect(page.getByTestId("campaign-summary")).toHaveText("2 sent of 3 · 1 skipped");
  // The launch's "Queued: …" was about a state the campaign has left.
  await expect(page.getByTestId("campaign-message")).toHaveCount(0);
  await expect.poll(async () => (await mineSubjects()).filter((m) => m.to !== "admin@example.com").length).toBe(2);
  const sent = (await mineSubjects()).filter((m) => m.to !== "admin@example.com");
  expect(sent.sort((a, b) => a.to.localeCompare(b.to))).toEqual(people.map((p, i) => ({ to: p.email, subject: `Final ${tag} Yan${i + 1}` })));
  // Nothing ever went out with a subject the editor no longer showed.
  expect((await mineSubjects()).filter((m) => /(Old|Declined) /.test(m.subject))).toEqual([]);

  // Who got what, for one person: the send log finds them by part of the address.
  await page.getByLabel("Find a recipient").fill(people[1].email.split("@")[0]);
  await expect(page.getByTestId("recipient-row")).toHaveCount(1);
  await expect(page.getByTestId("recipient-row")).toContainText(people[1].email);
  await expect(page.getByTestId("recipient-row")).toHaveAttribute("data-status", "SENT");
  await page.getByLabel("Find a recipient").fill("nobody-like-this");
  await expect(page.getByText("No recipient matches “nobody-like-this”.")).toBeVisible();
});

test("a draft another admin saved after this page loaded it is not launched from the stale page: no question, a 409 that says to reload", async ({ page, signIn }) => {
  const tag = `e2e-${randomUUID().slice(0, 8)}`;
  await makeTaggedContacts(tag, 2);
  await signIn("admin");
  await page.goto("/campaigns/new");
  await page.getByLabel("Name", { exact: true }).fill(`Stale ${tag}`);
  await page.getByLabel("Subject").fill(`Version A ${tag}`);
  await page.getByLabel("Send to").selectOption("tag");
  await page.getByLabel("Tag", { exact: true }).selectOption(tag);
  await expect(page.getByTestId("recipient-count")).toContainText("2 recipients");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByLabel("Subject")).toHaveValue(`Version A ${tag}`);

  // Another admin saves version B (what their editor's save writes), while this page shows A.
  await sql(`UPDATE "Campaign" SET "subject" = $2, "updatedAt" = now() WHERE "id" = $1`, [id, `Version B ${tag}`]);
  let asked = false;
  page.on("dialog", (d) => { asked = true; void d.dismiss(); });
  await page.getByRole("button", { name: "Launch now" }).click();
  await expect(page.getByTestId("campaign-message")).toContainText("Someone saved this campaign after your page loaded it, so nothing was done. Reload the page");
  expect(asked).toBe(false);
  // Saving over it is refused the same way: version B is not silently replaced.
  await page.getByLabel("Subject").fill(`Version A2 ${tag}`);
  await page.getByRole("button", { name: "Launch now" }).click();
  await expect(page.getByTestId("campaign-message")).toContainText("Not saved, so nothing was sent: Someone saved this campaign after your page loaded it");
  expect(asked).toBe(false);
  expect(await sql(`SELECT "status"::text AS status, "subject" FROM "Campaign" WHERE "id" = $1`, [id])).toEqual([{ status: "DRAFT", subject: `Version B ${tag}` }]);

  // After a reload the page shows B, and the question names B.
  await page.reload();
  await expect(page.getByLabel("Subject")).toHaveValue(`Version B ${tag}`);
  let question = "";
  page.removeAllListeners("dialog");
  page.once("dialog", (d) => { question = d.message(); void d.dismiss(); });
  await page.getByRole("button", { name: "Launch now" }).click();
  await expect.poll(() => question).toContain(`Subject: Version B ${tag}`);
});

test("a cancelled campaign shows what was sent and what was not, in the list, on its page and on the home page", async ({ page, signIn }) => {
  const name = `Cancelled ${randomUUID().slice(0, 8)}`;
  const id = await insertCampaign(name, "CANCELLED", [
    { status: "SENT", reason: null, n: 675 },
    { status: "SKIPPED", reason: "Campaign cancelled", n: 1312 },
  ]);
  const summary = "675 sent of 1,987 · 1,312 not sent (cancelled)";
  await signIn("admin");

  await page.goto("/campaigns");
  const row = page.getByTestId("campaign-row").filter({ hasText: name });
  await expect(row.getByTestId("campaign-row-percent")).toHaveText("33%");
  await expect(row.getByTestId("campaign-row-summary")).toHaveText(summary);

  await page.goto(`/campaigns/${id}`);
  await expect(page.getByTestId("campaign-status")).toHaveAttribute("data-status", "CANCELLED");
  await expect(page.getByTestId("campaign-progress")).toHaveAttribute("data-percent", "33");
  await expect(page.getByTestId("campaign-percent")).toHaveText("33%");
  await expect(page.getByTestId("campaign-summary")).toHaveText(summary);

  await page.goto("/");
  await expect(page.getByTestId("dash-campaigns").locator("li", { hasText: name }).getByTestId("dash-campaign-summary")).toHaveText(summary);
});

test("a cancelled campaign is duplicated into a draft that opens in the editor, with its content", async ({ page, signIn }) => {
  const name = `Again ${randomUUID().slice(0, 8)}`;
  const id = await insertCampaign(name, "CANCELLED", [{ status: "SENT", reason: null, n: 3 }, { status: "SKIPPED", reason: "Campaign cancelled", n: 2 }]);
  await signIn("admin");
  await page.goto(`/campaigns/${id}`);
  await page.getByRole("button", { name: "Duplicate" }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("campaign-status")).toHaveAttribute("data-status", "DRAFT");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`Copy of ${name}`);
  await expect(page.getByLabel("Subject")).toHaveValue("Hi");
  await expect(page.getByLabel("Sender email")).toHaveValue("sales@example.test");
  const copyId = page.url().split("/").pop()!;
  expect(await sql(`SELECT 1 FROM "CampaignRecipient" WHERE "campaignId" = $1`, [copyId])).toHaveLength(0);
});

test("'Sent, needs attention' names only what is there; the explanation belongs to uncertain", async ({ page, signIn }) => {
  const failedOnly = await insertCampaign(`Failed ${randomUUID().slice(0, 8)}`, "SENT_WITH_ERRORS", [{ status: "SENT", reason: null, n: 4 }, { status: "FAILED", reason: "550 no such user", n: 3 }]);
  const uncertainOnly = await insertCampaign(`Uncertain ${randomUUID().slice(0, 8)}`, "SENT_WITH_ERRORS", [{ status: "SENT", reason: null, n: 4 }, { status: "UNCERTAIN", reason: null, n: 1 }]);
  await signIn("admin");
  await page.goto(`/campaigns/${failedOnly}`);
  await expect(page.getByTestId("attention-note")).toHaveText("3 failed. Retry them below if you wish.");
  await expect(page.getByRole("button", { name: "Retry failed (3)" })).toBeVisible();
  await page.goto(`/campaigns/${uncertainOnly}`);
  await expect(page.getByTestId("attention-note")).toHaveText("1 uncertain (the send was cut off, by a stopped worker or a lost answer from the mail server: they may or may not have received it). Retry it below if you wish.");
  // The question says how many, and how to check first who already has it.
  let question = "";
  page.once("dialog", (d) => { question = d.message(); void d.dismiss(); });
  await page.getByRole("button", { name: "Retry uncertain (1)" }).click();
  await expect.poll(() => question).toContain("Send again to 1 recipient whose message may already have been delivered?");
  expect(question).toContain("look its Message-IDs up in your mail server's log");

  // Failed addresses that bounced (now suppressed) are not offered for a retry that would leave them alone.
  const bounced = await insertCampaign(`Bounced ${randomUUID().slice(0, 8)}`, "SENT_WITH_ERRORS", [{ status: "SENT", reason: null, n: 2 }, { status: "FAILED", reason: "550 no such user", n: 3 }]);
  const rows = await sql<{ id: string }>(`UPDATE "CampaignRecipient" SET "email" = 'bounced-' || "id" || '@example.test' WHERE "campaignId" = $1 AND "status" = 'FAILED' RETURNING "id"`, [bounced]);
  for (const r of rows.slice(0, 2)) await sql(`INSERT INTO "EmailSuppression" ("email", "reason", "detail") VALUES ($1, 'HARD_BOUNCE', '550 no such user')`, [`bounced-${r.id}@example.test`]);
  await page.goto(`/campaigns/${bounced}`);
  await expect(page.getByTestId("attention-note")).toHaveText("3 failed (2 of them bounced or unsubscribed: not retried). Retry it below if you wish.");
  await expect(page.getByRole("button", { name: "Retry failed (1)" })).toBeVisible();
  await sql(`INSERT INTO "EmailSuppression" ("email", "reason", "detail") VALUES ($1, 'HARD_BOUNCE', '550 no such user')`, [`bounced-${rows[2].id}@example.test`]);
  await page.reload();
  await expect(page.getByTestId("attention-note")).toHaveText("3 failed (all bounced or unsubscribed: not retried).");
  await expect(page.getByRole("button", { name: /^Retry failed/ })).toHaveCount(0);
});

test("the home page follows a sending campaign without a reload, and stops polling once none is sending", async ({ page, signIn }) => {
  test.setTimeout(90_000);
  const name = `Sending ${randomUUID().slice(0, 8)}`;
  // fanoutDone false and no rows: the worker has nothing to send for it, and never finishes it (a
  // re-dispatched fan-out stops at once: it runs only for a PREPARING campaign, fan-out.ts).
  const id = await insertCampaign(name, "SENDING", [], false);
  try {
    await signIn("admin");
    let polls = 0;
    page.on("request", (r) => { if (r.url().includes("dashboard.summary")) polls++; });
    await page.goto("/");
    const item = page.getByTestId("dash-campaigns").locator("li", { hasText: name });
    await expect(item.locator("[data-status]")).toHaveAttribute("data-status", "SENDING");
    await sql(`UPDATE "Campaign" SET "status" = 'SENT', "finishedAt" = now(), "fanoutDone" = true WHERE "id" = $1`, [id]);
    await expect(item.locator("[data-status]")).toHaveAttribute("data-status", "SENT", { timeout: 10_000 });
    expect(polls).toBeGreaterThan(1);
    // Nothing shown is running any more: no further request in twice the polling interval.
    const after = polls;
    await page.waitForTimeout(7_000);
    expect(polls).toBe(after);
  } finally {
    // When the test failed early: a campaign left SENDING would head every later campaign list.
    await sql(`UPDATE "Campaign" SET "status" = 'CANCELLED', "finishedAt" = now() WHERE "id" = $1 AND "status" = 'SENDING'`, [id]);
  }
});
