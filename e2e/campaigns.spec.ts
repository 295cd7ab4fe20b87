// Campaigns end to end: an admin writes a campaign for a tagged audience, previews it,
// sends a test, launches it and watches it reach 100%; the SMTP sink (started by
// playwright.config.ts) holds exactly one message per recipient; a recipient
// unsubscribes through the link in their email and the next campaign skips them.
import pg from "pg";
import { randomUUID } from "node:crypto";
import { test, expect } from "./fixtures";
import type { Page } from "@playwright/test";

const SINK = `http://127.0.0.1:${Number(process.env.E2E_SMTP_PORT ?? 2526) + 1}/messages`;
interface SinkMessage { to: string[]; subject: string; listUnsubscribe: string | null }

async function sinkMessages(): Promise<SinkMessage[]> {
  return (await (await fetch(SINK)).json()).messages;
}

async function makeTaggedContacts(tag: string, n: number): Promise<{ name: string; email: string }[]> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const owner = (await db.query(`SELECT id FROM "User" WHERE email = 'admin@example.com'`)).rows[0].id;
    const people = Array.from({ length: n }, (_, i) => ({ name: `Zed${i + 1} Tester`, email: `${tag}-${i + 1}@example.test` }));
    for (const p of people) {
      await db.query(`INSERT INTO "Contact" ("id", "fullName", "company", "email", "ownerId", "tags", "source", "updatedAt") VALUES ($1, $2, 'Acme', $3, $4, ARRAY[$5]::text[], 'manual', now())`, [randomUUID(), p.name, p.email, owner, tag]);
    }
    return people;
  } finally {
    await db.end();
  }
}

async function createCampaign(page: Page, name: string, tag: string, expectedCount: number) {
  await page.goto("/campaigns/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Subject").fill("News for {{firstName}}");
  await page.getByLabel("Send to").selectOption("tag");
  await page.getByLabel("Tag", { exact: true }).selectOption(tag);
  await expect(page.getByTestId("recipient-count")).toContainText(`${expectedCount} recipient`);
}

async function launchAndFinish(page: Page) {
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Launch now" }).click();
  await expect(page.getByTestId("campaign-percent")).toHaveText("100%", { timeout: 60_000 });
  await expect(page.getByTestId("campaign-status")).toHaveAttribute("data-status", /^SENT/, { timeout: 30_000 });
}

test.describe.configure({ mode: "serial" });

test("an admin previews, tests and launches a campaign; a recipient unsubscribes and the next campaign skips them", async ({ page, signIn }) => {
  test.setTimeout(180_000);
  const tag = `e2e-${randomUUID().slice(0, 8)}`;
  const people = await makeTaggedContacts(tag, 3);
  await signIn("admin");

  // Author: audience count and a preview rendered for a chosen contact.
  await createCampaign(page, `Launch ${tag}`, tag, 3);
  await page.getByLabel("Preview as").selectOption({ label: `${people[1].name} <${people[1].email}>` });
  await expect(page.getByTestId("preview-subject")).toHaveText("News for Zed2");
  await expect(page.frameLocator('iframe[title="Email preview"]').locator("body")).toContainText("Hi Zed2");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);

  // Test send goes to the admin only.
  await page.getByRole("button", { name: "Send test to me" }).click();
  await expect(page.getByTestId("campaign-message")).toHaveText("Test sent to admin@example.com.");
  await expect.poll(async () => (await sinkMessages()).filter((m) => m.to.includes("admin@example.com") && m.subject === "[Test] News for Ada").length).toBe(1);

  // Launch: the progress bar reaches 100% and the sink holds one message per recipient.
  await launchAndFinish(page);
  await expect(page.getByTestId("count-SENT")).toHaveText("3");
  await expect(page.locator('[data-testid="recipient-row"][data-status="SENT"]')).toHaveCount(3);
  const received = (await sinkMessages()).filter((m) => m.to.some((t) => t.startsWith(`${tag}-`)));
  expect(received.map((m) => m.to[0]).sort()).toEqual(people.map((p) => p.email).sort());

  // A recipient unsubscribes through the link in their email.
  const mail = received.find((m) => m.to[0] === people[0].email)!;
  const link = /^<(.+)>$/.exec(mail.listUnsubscribe ?? "")?.[1];
  expect(link).toMatch(/\/api\/unsubscribe\?token=/);
  await page.goto(link!);
  await expect(page.getByTestId("unsubscribe-email")).toHaveText(people[0].email);
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();

  // A forged link is refused.
  const bad = await page.request.get(link!.replace(/token=[^.]+/, "token=AAAA"));
  expect(bad.status()).toBe(400);

  // The next campaign to the same audience skips them.
  await createCampaign(page, `Second ${tag}`, tag, 2);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await launchAndFinish(page);
  await expect(page.getByTestId("count-SENT")).toHaveText("2");
  await expect(page.getByTestId("count-SKIPPED")).toHaveText("1");
  await page.getByLabel("Filter by state").selectOption("SKIPPED");
  await expect(page.getByTestId("recipient-row")).toHaveCount(1);
  await expect(page.getByTestId("recipient-row")).toContainText("Unsubscribed");
  const all = (await sinkMessages()).filter((m) => m.to.includes(people[0].email));
  expect(all).toHaveLength(1);
});

test("a rep cannot open campaigns", async ({ page, signIn }) => {
  await signIn("rep");
  await page.goto("/campaigns");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});
