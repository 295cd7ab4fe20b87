// F3: while no worker runs, a campaign that is sending or scheduled says so, on its page
// and on the list, and the heartbeat is polled only while the campaign needs a worker.
//
// The suite's one worker is shared by every spec, so it is not stopped here. Instead the
// browser is made to see the answer system.workerStatus gives when the heartbeat is stale
// ({online: false, lastHeartbeatAgeMs: 95 s}): the route below rewrites only that entry of
// the tRPC batch and passes every other procedure's real answer through. What the server
// answers for a stale heartbeat (server/queues/heartbeat.ts, system.workerStatus) is not
// exercised here; the wording decision is unit-tested in server/campaigns/worker-warning.test.ts.
import { randomUUID } from "node:crypto";
import { test, expect, sql, sqlTx } from "./fixtures";
import { countWorkerPolls, isWorkerStatus, seeWorkerOffline } from "./worker-offline";


/**
 * A campaign caught mid-send by a dead worker: `sending` rows claimed with a lease that has not
 * run out (so the live e2e worker's supervisor leaves them alone), some sent, nothing pending
 * (so it re-dispatches nothing). It stays SENDING for the length of the test.
 */
async function insertStuckCampaign(name: string, sending: number, sent: number) {
  const id = randomUUID();
  const [admin] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'admin@example.com'`);
  // One transaction: a SENDING campaign committed without its rows would be finalized as SENT
  // by the live worker's supervisor before the rows arrive.
  await sqlTx(async (q) => {
    await q(`INSERT INTO "Campaign" ("id", "name", "fromName", "fromEmail", "subject", "html", "text", "audience", "status", "createdById", "launchedAt", "fanoutDone", "lastActivityAt", "updatedAt")
      VALUES ($1, $2, 'Sales', 'sales@example.test', 'Hi', '<p>Hi</p>', 'Hi', $3::jsonb, 'SENDING', $4, now(), true, now(), now())`,
    [id, name, JSON.stringify({ kind: "tag", tag: `none-${id}` }), admin.id]);
    for (const [status, n] of [["SENDING", sending], ["SENT", sent]] as const) {
      await q(`INSERT INTO "CampaignRecipient" ("id", "campaignId", "contactId", "email", "batchNo", "status", "attempts", "leaseUntil", "claimToken", "sentAt")
        SELECT gen_random_uuid(), $1, gen_random_uuid(), 'stuck' || g || '-' || $2 || '@example.test', 0, $2::campaign_recipient_status, 1,
               CASE WHEN $2 = 'SENDING' THEN now() + interval '10 minutes' END, CASE WHEN $2 = 'SENDING' THEN 'dead-worker' END, CASE WHEN $2 = 'SENT' THEN now() END
        FROM generate_series(1, $3::int) g`, [id, status, n]);
    }
  });
  return id;
}

test.describe.configure({ mode: "serial" });

test("with the worker online, a sending campaign shows no warning (the heartbeat is read, live)", async ({ page, signIn }) => {
  const id = await insertStuckCampaign(`Online ${randomUUID().slice(0, 8)}`, 2, 3);
  try {
    await signIn("admin");
    const polled = page.waitForResponse((r) => isWorkerStatus(r.url()) && r.ok());
    await page.goto(`/campaigns/${id}`);
    await expect(page.getByTestId("campaign-status")).toHaveText("Sending");
    await polled;
    await expect(page.getByTestId("worker-offline")).toHaveCount(0);
  } finally {
    // Even when the test fails: a SENDING campaign left behind would head every later campaign list.
    await sql(`UPDATE "Campaign" SET "status" = 'CANCELLED', "finishedAt" = now() WHERE "id" = $1`, [id]);
  }
});

test("with the worker offline, the campaign page and the list say sending has stopped; polling stops once the campaign is final", async ({ page, signIn }) => {
  const name = `Offline ${randomUUID().slice(0, 8)}`;
  const id = await insertStuckCampaign(name, 3, 7);
  await signIn("admin");
  await seeWorkerOffline(page);

  await page.goto(`/campaigns/${id}`);
  await expect(page.getByTestId("campaign-status")).toHaveText("Sending");
  const alert = page.getByTestId("worker-offline");
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute("role", "alert");
  await expect(alert).toContainText(/The worker is offline \(last seen \d{1,2}:\d{2}.*\): sending has stopped and will resume by itself when a worker is back\./);
  await expect(alert).toContainText('The 3 messages that were mid-send will be marked "uncertain" for you to check.');

  await page.goto("/campaigns");
  await expect(page.getByTestId("campaign-row").filter({ hasText: name })).toBeVisible();
  await expect(page.getByTestId("worker-offline")).toContainText(/The worker is offline .* that (is|are) sending or scheduled (is|are) on hold\. Sending resumes by itself when a worker is back/);

  // Cancelled (a final state): the warning goes and the heartbeat is no longer polled.
  await page.goto(`/campaigns/${id}`);
  await expect(alert).toBeVisible();
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Cancelled");
  await expect(alert).toHaveCount(0);
  const polls = countWorkerPolls(page);
  await page.waitForTimeout(7_000); // longer than the 5 s poll interval
  expect(polls.n).toBe(0);
});

test("a scheduled campaign warns that it will not launch while the worker is offline", async ({ page, signIn }) => {
  const id = randomUUID();
  const [admin] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'admin@example.com'`);
  await sql(`INSERT INTO "Campaign" ("id", "name", "fromName", "fromEmail", "subject", "html", "text", "audience", "status", "createdById", "scheduledAt", "updatedAt")
    VALUES ($1, $2, 'Sales', 'sales@example.test', 'Hi', '<p>Hi</p>', 'Hi', $3::jsonb, 'SCHEDULED', $4, now() + interval '30 days', now())`,
  [id, `Scheduled ${id.slice(0, 8)}`, JSON.stringify({ kind: "tag", tag: `none-${id}` }), admin.id]);
  try {
    await signIn("admin");
    await seeWorkerOffline(page);
    await page.goto(`/campaigns/${id}`);
    await expect(page.getByTestId("worker-offline")).toContainText("this campaign will not launch at its time. It launches by itself when a worker is back.");
  } finally {
    await sql(`DELETE FROM "Campaign" WHERE "id" = $1`, [id]);
  }
});

test("/admin/queues says no worker is running while the heartbeat is stale, and nothing while it is fresh", async ({ page, signIn }) => {
  await signIn("admin");
  const polled = page.waitForResponse((r) => isWorkerStatus(r.url()) && r.ok());
  await page.goto("/admin/queues");
  await polled;
  await expect(page.getByTestId("queue-table")).toBeVisible();
  await expect(page.getByTestId("queues-worker-offline")).toHaveCount(0);

  await seeWorkerOffline(page);
  await page.reload();
  await expect(page.getByTestId("queues-worker-offline")).toContainText("No worker is running (last seen");
});
