// Handing contacts over: an admin selects contacts in the list and changes their owner (active users only; a
// disabled user stays in the owner filter, marked); a rep does not get the control, and the API refuses them.
// Also the 30-tag limit where the bulk bar and the contact page meet it (docs/contacts.md, "Bulk actions and owners").
import { randomUUID } from "node:crypto";
import { test, expect, trpc, sql, signIn as signInPage } from "./fixtures";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 8);

test("an admin selects two contacts and changes their owner; a rep does not see the control", async ({ page, signIn, browser }) => {
  await signIn("admin");
  const u = uniq();
  const heir = await trpc<{ id: string; email: string }>(page, "users.create", { email: `heir-${u}@example.com`, name: `Heir ${u}`, password: "heir-password-1", role: "REP" });
  const leaver = await trpc<{ id: string }>(page, "users.create", { email: `leaver-${u}@example.com`, name: `Leaver ${u}`, password: "leaver-password-1", role: "REP" });
  await trpc(page, "users.setDisabled", { id: leaver.id, disabled: true });
  for (const n of ["A", "B", "C"]) await trpc(page, "contacts.create", { fullName: `Handover ${u} ${n}` });

  await page.goto("/contacts");
  await page.getByLabel("Search").fill(`Handover ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(3);
  // The owner filter still offers the leaver, marked.
  await expect(page.getByLabel("Owner", { exact: true }).locator("option", { hasText: `Leaver ${u}` })).toHaveText(`Leaver ${u} (disabled)`);

  await page.getByLabel(`Select Handover ${u} A`, { exact: true }).check();
  await page.getByLabel(`Select Handover ${u} B`, { exact: true }).check();
  const bar = page.getByTestId("bulk-bar");
  await expect(bar).toContainText("2 selected");
  const newOwner = bar.getByLabel("New owner");
  // Active users only: the disabled one is not offered as a new owner.
  await expect(newOwner.locator("option", { hasText: `Leaver ${u}` })).toHaveCount(0);
  await newOwner.selectOption({ label: `Heir ${u} (${heir.email})` });
  let question = "";
  page.once("dialog", (d) => { question = d.message(); void d.accept(); });
  await bar.getByRole("button", { name: "Change owner" }).click();
  await expect(page.getByText(`Moved 2 contacts to Heir ${u}`)).toBeVisible();
  expect(question).toBe(`Give 2 contact(s) to Heir ${u}?`);
  await expect(page.getByTestId("contact-row").filter({ hasText: `Handover ${u} A` })).toContainText(`Heir ${u}`);
  await expect(page.getByTestId("contact-row").filter({ hasText: `Handover ${u} B` })).toContainText(`Heir ${u}`);
  await expect(page.getByTestId("contact-row").filter({ hasText: `Handover ${u} C` })).not.toContainText(`Heir ${u}`);
  // The new owner is who the contact page shows, and the owner filter finds them.
  await page.getByLabel("Owner", { exact: true }).selectOption({ label: `Heir ${u}` });
  await expect(page.getByTestId("contact-row")).toHaveCount(2);

  // A rep: the bulk bar has no "Change owner", and the API answers 403.
  const repContext = await browser.newContext();
  const repPage = await repContext.newPage();
  await signInPage(repPage, "rep");
  const own = await trpc<{ id: string }>(repPage, "contacts.create", { fullName: `Rep Own ${u}` });
  await repPage.goto("/contacts");
  await repPage.getByLabel("Search").fill(`Rep Own ${u}`);
  await expect(repPage.getByTestId("contact-row")).toHaveCount(1);
  await repPage.getByLabel(`Select Rep Own ${u}`, { exact: true }).check();
  const repBar = repPage.getByTestId("bulk-bar");
  await expect(repBar).toContainText("1 selected");
  await expect(repBar.getByRole("button", { name: "Add tag" })).toBeVisible();
  await expect(repBar.getByRole("button", { name: "Change owner" })).toHaveCount(0);
  await expect(repBar.getByLabel("New owner")).toHaveCount(0);
  const refused = await repPage.request.post("/api/trpc/contacts.bulkSetOwner", { data: { json: { ids: [own.id], ownerId: heir.id } } });
  expect(refused.status()).toBe(403);
  await repContext.close();
});

const tagsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

test("bulk Add tag leaves a contact with 30 tags untagged, says so and keeps it selected", async ({ page, signIn }) => {
  await signIn("admin");
  const u = uniq();
  const full = await trpc<{ id: string }>(page, "contacts.create", { fullName: `Tagfull ${u} Full`, tags: tagsOf(u, 30) });
  await trpc(page, "contacts.create", { fullName: `Tagfull ${u} Room` });
  await page.goto("/contacts");
  await page.getByLabel("Search").fill(`Tagfull ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(2);
  await page.getByLabel("Select all shown").check();
  const bar = page.getByTestId("bulk-bar");
  await bar.getByLabel("Tag to add").fill("spring");
  await bar.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Tagged" })).toHaveText("Tagged 1 contact. 1 contact already has 30 tags (the most a contact can have) and was not tagged; it is still selected. Remove a tag from it first.");
  await expect(bar).toContainText("1 selected");
  await expect(page.getByLabel(`Select Tagfull ${u} Full`, { exact: true })).toBeChecked();
  const [row] = await sql<{ n: number }>(`SELECT cardinality("tags") AS n FROM "Contact" WHERE "id" = $1`, [full.id]);
  expect(row.n).toBe(30);

  // Two tags typed in the one-tag box: the reason, in words, not "Invalid input".
  await bar.getByLabel("Tag to add").fill("emea, q3");
  await bar.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "One tag" })).toHaveText("One tag at a time: a tag cannot contain , ; or | (they separate tags)");
});

test("a contact with 35 tags from old data: the tags field says how many to remove, and it saves once they are", async ({ page, signIn }) => {
  await signIn("admin");
  const u = uniq();
  const c = await trpc<{ id: string }>(page, "contacts.create", { fullName: `Old Tags ${u}` });
  await sql(`UPDATE "Contact" SET "tags" = $2::text[] WHERE "id" = $1`, [c.id, tagsOf(u, 35)]);
  await page.goto(`/contacts/${c.id}`);
  await expect(page.getByTestId("contact-name")).toHaveText(`Old Tags ${u}`);
  const tagsError = page.getByTestId("tags-error");
  await expect(tagsError).toHaveText("A contact can have at most 30 tags; this one has 35. Remove 5 to save it.");
  await page.getByRole("button", { name: "Save" }).click();
  // The server's 422, on the tags field (not a bare "Invalid input").
  await expect(tagsError).toHaveText("A contact can have at most 30 tags; this one has 35. Remove 5 tags to save it.");
  await expect(page.getByLabel("New tag")).toHaveAttribute("aria-invalid", "true");
  for (const t of tagsOf(u, 5)) await page.getByRole("button", { name: `Remove tag ${t}`, exact: true }).click();
  await expect(tagsError).toHaveCount(0);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  const [row] = await sql<{ n: number }>(`SELECT cardinality("tags") AS n FROM "Contact" WHERE "id" = $1`, [c.id]);
  expect(row.n).toBe(30);
});
