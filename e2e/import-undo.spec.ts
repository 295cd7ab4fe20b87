// Undo an import from its report: the wrong file imported, the contacts it created go in one step.
import { randomUUID } from "node:crypto";
import { test, expect, sql } from "./fixtures";

test("the import report's Undo deletes the contacts the import created, after a second tap", async ({ page, signIn }) => {
  await signIn("rep");
  const u = randomUUID().slice(0, 8);
  const csv = ["Name,Email,Company", `Wrong File ${u},wrong1-${u}@example.com,Oops Ltd`, `Wrong Again ${u},wrong2-${u}@example.com,Oops Ltd`].join("\n");
  await page.goto("/contacts/import");
  await page.getByLabel("File").setInputFiles({ name: "wrong.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page.getByTestId("import-status")).toHaveText("DONE");
  await expect(page.getByTestId("count-created")).toHaveText("2");

  await page.getByRole("button", { name: "Undo this import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Delete the 2 contacts this import created?" })).toBeVisible();
  // "Keep them" changes nothing.
  await page.getByRole("button", { name: "Keep them" }).click();
  expect((await sql(`SELECT 1 FROM "Contact" WHERE "email" LIKE $1`, [`%-${u}@example.com`])).length).toBe(2);
  await page.getByRole("button", { name: "Undo this import" }).click();
  await page.getByRole("button", { name: "Yes, delete them" }).click();
  await expect(page.getByTestId("undo-import-result")).toHaveText("Deleted 2 contacts this import created.");
  expect((await sql(`SELECT 1 FROM "Contact" WHERE "email" LIKE $1`, [`%-${u}@example.com`])).length).toBe(0);
});
