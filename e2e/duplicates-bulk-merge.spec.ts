// The duplicates page's "Merge N exact duplicates" (admins): a confirmation that says what happens, then the result.
// A pair that differs in a filled field stays for the one-by-one merge. Reps do not get the button.
import { randomUUID } from "node:crypto";
import { test, expect, sql, trpc } from "./fixtures";

const uniq = () => `x${randomUUID().replace(/-/g, "").slice(0, 9)}`;

test("an admin merges a seeded exact pair with one button; a conflicting pair stays", async ({ page, signIn }) => {
  await signIn("admin");
  const u = uniq();
  const email = `exact.${u}@bulk.example`;
  // Created one after the other: the first is the older one, kept.
  const older = await trpc<{ id: string }>(page, "contacts.create", { fullName: `Exa Pair ${u}`, email, tags: ["expo"] });
  const newer = await trpc<{ id: string }>(page, "contacts.create", { fullName: `Exa Pair ${u}`, email: email.toUpperCase(), company: `Exa Co ${u}`, title: "Buyer", tags: ["vip"] });
  // Same email, different names: not exact.
  const other = `conflict.${u}@bulk.example`;
  await trpc(page, "contacts.create", { fullName: `Cora One ${u}`, email: other });
  await trpc(page, "contacts.create", { fullName: `Dora Two ${u}`, email: other });

  await page.goto("/contacts/duplicates");
  const box = page.getByTestId("exact-duplicates");
  const button = box.getByRole("button", { name: /^Merge [\d,]+ exact duplicates?$/ });
  await expect(button).toBeVisible();
  await button.click();
  const confirm = box.getByRole("group", { name: "Confirm merging exact duplicates" });
  await expect(confirm.getByTestId("exact-duplicates-confirm")).toContainText("oldest contact is kept");
  await expect(confirm.getByTestId("exact-duplicates-confirm")).toContainText("deleted");
  await expect(confirm).toContainText(`Exa Pair ${u}`);
  await confirm.getByRole("button", { name: /^Merge [\d,]+ groups?$/ }).click();

  await expect(box.getByTestId("exact-duplicates-result")).toHaveText(/^Merged [\d,]+ groups? \([\d,]+ contacts into [\d,]+\)/);
  await expect(box.getByTestId("exact-duplicates-count")).toHaveText("No exact duplicates to merge.");

  const rows = await sql<{ id: string; company: string | null; title: string | null; tags: string[] }>(
    `SELECT "id", "company", "title", "tags" FROM "Contact" WHERE "emailNormalized" = $1`, [email]);
  expect(rows).toEqual([{ id: older.id, company: `Exa Co ${u}`, title: "Buyer", tags: ["expo", "vip"] }]);
  expect(rows.some((r) => r.id === newer.id)).toBe(false);
  expect((await sql(`SELECT 1 FROM "Contact" WHERE "emailNormalized" = $1`, [other])).length).toBe(2);

  // The conflicting pair is still offered one by one.
  await page.getByLabel("Narrow duplicates").fill(`${u}`);
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByTestId("duplicate-pair")).toHaveCount(1);
  await expect(page.getByTestId("duplicate-pair")).toContainText(`Cora One ${u}`);
});

test("a rep sees no bulk merge button, and the API answers 403", async ({ page, signIn }) => {
  await signIn("rep");
  await page.goto("/contacts/duplicates");
  await expect(page.getByRole("heading", { name: "Likely duplicates" })).toBeVisible();
  await expect(page.getByTestId("exact-duplicates")).toHaveCount(0);
  const res = await page.request.post("/api/trpc/contacts.mergeExactDuplicates", { data: { json: {} } });
  expect(res.status()).toBe(403);
});
