// User management on /admin, against `npm start`'s two web processes: an admin adds a user
// (the form clears and confirms), changes their role and disables them, and the other user's
// open session follows on whichever process answers it within the documented bound (5 s
// cache per process, docs/security.md "Users and sessions"): demoted → 403 on admin pages and
// procedures; disabled → signed out, and sign-in refused. Plus the guard rails on yourself.
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { test, expect, sql, trpc } from "./fixtures";

// Longer than the 5 s cache TTL plus a request or two, on a busy machine.
const WITHIN_BOUND = { timeout: 15_000, intervals: [250, 500, 1000] };

async function signInAs(browser: Browser, email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(email);
  return { context, page };
}

async function meStatus(page: Page): Promise<number> {
  return (await page.request.get("/api/trpc/system.me")).status();
}

test("an admin adds a user, demotes and disables them; their open session follows within seconds", async ({ page, signIn, browser }) => {
  const email = `managed-${randomUUID().slice(0, 8)}@example.com`;
  const password = "managed-pass-1";
  await signIn("admin");
  await page.goto("/admin");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");

  // Add an admin: the form empties (the password too) and says so.
  await page.getByLabel("Name", { exact: true }).fill("Managed User");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Role", { exact: true }).selectOption("ADMIN");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status")).toHaveText(`Added ${email}`);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Role", { exact: true })).toHaveValue("REP");
  const row = page.getByTestId(`user-row-${email}`);
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("ADMIN");

  // They sign in elsewhere and use the admin page.
  const other = await signInAs(browser, email, password);
  await other.page.goto("/admin");
  await expect(other.page.getByRole("heading", { name: "Users" })).toBeVisible();
  expect((await other.page.request.get("/api/trpc/users.list")).status()).toBe(200);

  // Demoted to rep: within the bound, on both processes, admin pages and procedures refuse them.
  await row.getByLabel(`Role of ${email}`).selectOption("REP");
  await expect(page.getByRole("status")).toHaveText(`${email} is now a rep.`);
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("REP");
  await expect.poll(async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await other.page.request.get("/api/trpc/users.list")).status());
    return statuses.join(",");
  }, WITHIN_BOUND).toBe("403,403,403,403");
  // Pages read the session through the same cache (each process its own): also within the bound.
  await expect(async () => {
    await other.page.goto("/admin");
    await expect(other.page.getByTestId("forbidden")).toBeVisible({ timeout: 1000 });
  }).toPass(WITHIN_BOUND);
  await expect(other.page.getByTestId("current-user")).toContainText("Rep");

  // Disabled: their session stops working (pages send them to sign in), and sign-in is refused.
  await row.getByRole("button", { name: "Disable", exact: true }).click();
  await row.getByRole("button", { name: "Confirm disable" }).click();
  await expect(page.getByRole("status")).toHaveText(`${email} is disabled and signed out everywhere.`);
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();
  await expect.poll(async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await meStatus(other.page));
    return statuses.join(",");
  }, WITHIN_BOUND).toBe("401,401,401,401");
  await expect(async () => {
    await other.page.goto("/");
    await expect(other.page).toHaveURL(/\/login/, { timeout: 1000 });
  }).toPass(WITHIN_BOUND);
  await expect(other.page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await other.page.getByLabel("Email").fill(email);
  await other.page.getByLabel("Password").fill(password);
  await other.page.getByRole("button", { name: "Sign in" }).click();
  await expect(other.page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  expect(await meStatus(other.page)).toBe(401);

  // Enabled again: the old session stays ended, a new sign-in works, as a rep.
  await row.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`${email} is enabled and can sign in again.`);
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  expect(await meStatus(other.page)).toBe(401);
  // At once: a process that cached them as disabled a moment ago must not bounce the new session.
  const again = await signInAs(browser, email, password);
  await expect(again.page.getByTestId("current-user")).toContainText("Rep");

  // A new password from the admin: the session just opened ends, the new password signs in.
  await row.getByRole("button", { name: "Set password" }).click();
  await page.getByLabel(`New password for ${email}`, { exact: true }).fill("reset-by-admin-7");
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page.getByRole("status")).toHaveText(`New password set for ${email}; their sessions have ended.`);
  await expect.poll(() => meStatus(again.page), WITHIN_BOUND).toBe(401);
  const third = await signInAs(browser, email, "reset-by-admin-7");
  await expect(third.page.getByTestId("current-user")).toContainText(email);

  // The audit log names each of those changes, newest first, and never the password.
  await page.goto("/admin/audit");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("searchbox").fill(email);
  const rows = page.getByTestId("audit-row");
  await expect(rows.getByText(/^users\./)).toHaveText(["users.setPassword", "users.setDisabled", "users.setDisabled", "users.setRole", "users.create"]);
  await expect(rows.nth(3)).toContainText("role: REP");
  await expect(rows.first()).toContainText("password: [redacted]");
  await expect(page.getByText("reset-by-admin-7")).toHaveCount(0);

  await Promise.all([other.context.close(), again.context.close(), third.context.close()]);
});

test("an admin cannot demote or disable themselves: the controls are off, and the API answers 409", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/admin");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const mine = page.getByTestId("user-row-admin@example.com");
  await expect(mine).toContainText("(you)");
  await expect(mine.getByLabel("Role of admin@example.com")).toBeDisabled();
  await expect(mine.getByRole("button", { name: "Disable", exact: true })).toBeDisabled();

  const me = await trpc<{ id: string }>(page, "system.me", undefined, "GET");
  const demote = await page.request.post("/api/trpc/users.setRole", { data: { json: { id: me.id, role: "REP" } } });
  expect(demote.status()).toBe(409);
  expect(JSON.stringify(await demote.json())).toContain("You cannot remove your own admin role");
  const disable = await page.request.post("/api/trpc/users.setDisabled", { data: { json: { id: me.id, disabled: true } } });
  expect(disable.status()).toBe(409);
  expect(JSON.stringify(await disable.json())).toContain("You cannot disable your own account");
  // Still an admin.
  expect((await page.request.get("/api/trpc/users.list")).status()).toBe(200);
});

test("a rep cannot use any of the user-management procedures", async ({ page, signIn }) => {
  await signIn("rep");
  const me = await trpc<{ id: string }>(page, "system.me", undefined, "GET");
  for (const [path, input] of [
    ["users.setRole", { id: me.id, role: "ADMIN" }],
    ["users.setDisabled", { id: me.id, disabled: false }],
    ["users.setPassword", { id: me.id, password: "would-be-admin-1" }],
  ] as const) {
    expect((await page.request.post(`/api/trpc/${path}`, { data: { json: input } })).status(), path).toBe(403);
  }
});

test("a leaving rep's waiting drafts are counted, the disable question warns of them, and Hand over cards gives them to a colleague", async ({ page, signIn }) => {
  const email = `leaver-${randomUUID().slice(0, 8)}@example.com`;
  await signIn("admin");
  const leaver = await trpc<{ id: string }>(page, "users.create", { name: "Leaving Rep", email, password: "leaver-pass-1", role: "REP" });
  const name = `Unreviewed ${randomUUID().slice(0, 8)}`;
  const [draft] = await sql<{ id: string }>(`INSERT INTO "DraftContact" ("id", "userId", "source", "extractedData", "confidenceData", "updatedAt")
    VALUES (gen_random_uuid(), $1, 'text_input', $2::jsonb, '{}'::jsonb, now()) RETURNING "id"`, [leaver.id, JSON.stringify({ fullName: name })]);
  try {
    await page.goto("/admin");
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    const row = page.getByTestId(`user-row-${email}`);
    await expect(row.getByTestId("pending-drafts")).toHaveText("1 draft waiting for review");
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByTestId("disable-drafts-warning")).toContainText("1 draft of theirs waits for review and expires within 24 hours: use Hand over cards");
    await row.getByRole("button", { name: "Confirm disable" }).click();
    await expect(page.getByRole("status")).toHaveText(`${email} is disabled and signed out everywhere.`);

    await row.getByRole("button", { name: "Hand over cards" }).click();
    await page.getByLabel(`Give ${email}'s 1 waiting draft and unfinished cards to`).selectOption({ label: "Ada Admin (admin@example.com)" });
    await page.getByRole("button", { name: "Hand over", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("1 draft and 0 cards handed over to admin@example.com, who has 24 hours to review them.");
    await expect(row.getByTestId("pending-drafts")).toHaveCount(0);
    // The admin now has it among their own drafts, and opens it.
    await page.goto(`/drafts/${draft.id}`);
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  } finally {
    await sql(`DELETE FROM "DraftContact" WHERE "id" = $1`, [draft.id]);
  }
});

test("a weak password is refused with the rule in words, and the form keeps what was typed", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/admin");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const email = `weak-${randomUUID().slice(0, 8)}@example.com`;
  await page.getByLabel("Name", { exact: true }).fill("Weak Password");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("11111111");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "different" })).toHaveText("Use at least 4 different characters");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(email);
  expect((await sql(`SELECT 1 FROM "User" WHERE "email" = $1`, [email])).length).toBe(0);
});
