// The import report lists the rows merged into a contact: the line, a link to that contact and what the row changed;
// they download on their own, not in the problems file to fix.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { test, expect, trpc } from "./fixtures";

test("a merge import's report lists each merged row with a link to the contact it went into", async ({ page, signIn }) => {
  await signIn("rep");
  const u = randomUUID().slice(0, 8);
  const existing = await trpc<{ id: string }>(page, "contacts.create", { fullName: `Mia Merge ${u}`, email: `mia-${u}@example.com` });
  const csv = ["Name,Email,Title", `New Person ${u},new-${u}@example.com,CEO`, `Mia Merge ${u},mia-${u}@example.com,Head of Buying`, `Bad ${u},bad@,x`].join("\n");
  await page.goto("/contacts/import");
  await page.getByLabel("File").setInputFiles({ name: "merge.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByLabel("Merge: fill the existing contact's empty fields and add tags").check();
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page.getByTestId("import-status")).toHaveText("DONE");
  await expect(page.getByTestId("count-created")).toHaveText("1");
  await expect(page.getByTestId("count-merged")).toHaveText("1");

  const list = page.getByTestId("import-merged");
  await expect(list.getByRole("row")).toHaveCount(2); // header + the one merged row
  await expect(list).toContainText("line 3");
  await expect(list).toContainText(`"Mia Merge ${u}" into existing contact "Mia Merge ${u}" (same email): filled Title / position`);
  // The problems list stays the problems.
  await expect(page.getByTestId("import-problems")).not.toContainText("Mia Merge");

  // The merged rows' own download.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-merged").click()]);
  expect(download.suggestedFilename()).toBe("merge-merged.csv");
  const text = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  expect(text.trimEnd().split("\r\n")).toEqual([
    "Name,Email,Title,Import line,Import result,Import merged into,Import contact id",
    `Mia Merge ${u},mia-${u}@example.com,Head of Buying,3,merged,"""Mia Merge ${u}"" into existing contact ""Mia Merge ${u}"" (same email): filled Title / position",${existing.id}`,
  ]);
  // The file to fix has the bad row only.
  const problems = await (await page.request.get((await page.getByTestId("download-problems").getAttribute("href"))!)).text();
  expect(problems.replace(/^\uFEFF/, "").trimEnd().split("\r\n")).toHaveLength(2);
  expect(problems).not.toContain("Mia Merge");
  expect((await page.request.get(`${(await page.getByTestId("download-merged").getAttribute("href"))!.replace("merged", "everything")}`)).status()).toBe(422);

  // The link opens the contact the row was merged into, with what the merge filled.
  await list.getByRole("link", { name: `Mia Merge ${u}` }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${existing.id}$`));
  await expect(page.getByLabel("Title")).toHaveValue("Head of Buying");
});
