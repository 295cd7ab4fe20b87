// F12: an admin downloads a campaign's per-recipient send log as CSV from the campaign page
// (all of it, or the state the log is filtered on) and it says what the page says; hostile
// names are neutralized or kept as text; a rep gets 403; bad input is 422, unknown 404.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { test, expect, sql } from "./fixtures";


const PEOPLE = [
  { name: "=cmd|' /C calc'!A0", status: "SENT", attempts: 1, reason: null },
  { name: "<script>alert(1)</script>", status: "FAILED", attempts: 4, reason: "Gave up after 4 attempts: 421 busy" },
  { name: "+Plus Person", status: "FAILED", attempts: 1, reason: "550 no such user" },
  { name: "Ana Uncertain", status: "UNCERTAIN", attempts: 1, reason: "The worker stopped mid-send" },
  { name: "Sam Skipped", status: "SKIPPED", attempts: 0, reason: "Unsubscribed" },
];

/** A finished campaign (SENT_WITH_ERRORS: the worker leaves it alone) with a recipient per person. */
async function insertFinishedCampaign() {
  const id = randomUUID();
  const u = id.slice(0, 8);
  const [admin] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'admin@example.com'`);
  await sql(`INSERT INTO "Campaign" ("id", "name", "fromName", "fromEmail", "subject", "html", "text", "audience", "status", "createdById", "launchedAt", "fanoutDone", "lastActivityAt", "finishedAt", "updatedAt")
    VALUES ($1, $2, 'Sales', 'sales@example.test', 'Hi', '<p>Hi</p>', 'Hi', $3::jsonb, 'SENT_WITH_ERRORS', $4, now(), true, now(), now(), now())`,
  [id, `Log ${u}`, JSON.stringify({ kind: "tag", tag: `none-${id}` }), admin.id]);
  for (const [i, p] of PEOPLE.entries()) {
    const contactId = randomUUID();
    const email = `log-${u}-${i}@example.test`;
    await sql(`INSERT INTO "Contact" ("id", "fullName", "email", "ownerId", "tags", "source", "updatedAt") VALUES ($1, $2, $3, $4, ARRAY[]::text[], 'manual', now())`, [contactId, p.name, email, admin.id]);
    await sql(`INSERT INTO "CampaignRecipient" ("id", "campaignId", "contactId", "email", "batchNo", "status", "attempts", "reason", "messageId", "sentAt")
      VALUES (gen_random_uuid(), $1, $2, $3, 0, $4::campaign_recipient_status, $5, $6, CASE WHEN $4 = 'SENT' THEN '<sent-' || $3 || '>' END, CASE WHEN $4 = 'SENT' THEN now() END)`,
    [id, contactId, email, p.status, p.attempts, p.reason]);
  }
  return id;
}

const neutral = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

test("an admin's download of the log matches the page, whole and filtered by state", async ({ page, signIn }) => {
  const id = await insertFinishedCampaign();
  await signIn("admin");
  await page.goto(`/campaigns/${id}`);
  const rows = page.getByTestId("recipient-row");
  await expect(rows).toHaveCount(PEOPLE.length);
  // What the page shows: email, name, state, attempts, detail (the reason; the Message-ID when sent).
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => {
    const td = [...tr.querySelectorAll("td")].map((c) => c.textContent ?? "");
    return { name: td[0], email: td[1], status: tr.getAttribute("data-status"), attempts: td[3], detail: td[5] };
  }));
  expect(shown.map((r) => r.name).sort()).toEqual(PEOPLE.map((p) => p.name).sort()); // the page shows <script> as text

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-log").click()]);
  expect(download.suggestedFilename()).toMatch(/^campaign-log-[a-z0-9]+-log-\d{4}-\d\d-\d\d\.csv$/);
  const csv: string[][] = parse(await readFile((await download.path())!, "utf8"), { bom: true });
  expect(csv[0]).toEqual(["Email", "Name", "Status", "Attempts", "Reason", "Sent at", "Message-ID", "Last update"]);
  // Same rows, same order (both by recipient id), same content; names neutralized only where a spreadsheet would run them.
  expect(csv.slice(1).map((r) => ({ email: r[0], name: r[1], status: r[2], attempts: r[3], detail: r[4] || (r[2] === "SENT" ? r[6] : "") })))
    .toEqual(shown.map((r) => ({ email: r.email, name: neutral(r.name), status: r.status, attempts: r.attempts, detail: r.detail })));
  const byStatus = Object.fromEntries(csv.slice(1).map((r) => [r[1], r]));
  expect(byStatus["'=cmd|' /C calc'!A0"][2]).toBe("SENT");
  expect(byStatus["'+Plus Person"][2]).toBe("FAILED");
  expect(byStatus["<script>alert(1)</script>"][2]).toBe("FAILED");
  // An uncertain row carries the Message-ID its message had, if it went out.
  expect(byStatus["Ana Uncertain"][6]).toMatch(new RegExp(`^<${id}\\.[0-9a-f-]{36}@example\\.test>$`));

  // Filtered on a state: a second link downloads exactly the rows shown.
  await page.getByLabel("Filter by state").selectOption("FAILED");
  await expect(rows).toHaveCount(2);
  const failedShown = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll("td")[1].textContent));
  const [failedDl] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-log-filtered").click()]);
  expect(failedDl.suggestedFilename()).toContain("-log-failed-");
  const failedCsv: string[][] = parse(await readFile((await failedDl.path())!, "utf8"), { bom: true });
  expect(failedCsv.slice(1).map((r) => r[0])).toEqual(failedShown);
  expect(failedCsv.slice(1).every((r) => r[2] === "FAILED")).toBe(true);

  // The route's answers to bad input, for an admin.
  const res = await page.request.get(`/api/campaigns/${id}/recipients?status=UNCERTAIN`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="campaign-log-[a-z0-9]+-log-uncertain-/);
  expect((await page.request.get(`/api/campaigns/${id}/recipients?status=BOUNCED`)).status()).toBe(422);
  const badId = await page.request.get("/api/campaigns/not-a-uuid/recipients");
  expect(badId.status()).toBe(422);
  expect((await badId.json()).error.code).toBe("VALIDATION");
  const unknown = await page.request.get(`/api/campaigns/${randomUUID()}/recipients`);
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("NOT_FOUND");
});

test("a rep gets 403 for a real campaign's log, with no data in the answer", async ({ page, signIn }) => {
  const id = await insertFinishedCampaign();
  await signIn("rep");
  const res = await page.request.get(`/api/campaigns/${id}/recipients`);
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("FORBIDDEN");
  expect(await res.text()).not.toContain("@example.test");
});
