// Contacts: LinkedIn import with progress and report, accent-insensitive search,
// merging duplicates, CSV export with formula neutralization, and the visibility rule.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { APIRequestContext } from "@playwright/test";
import { test, expect, signIn as signInPage } from "./fixtures";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 8);

async function trpc<T = unknown>(request: APIRequestContext, path: string, input: unknown): Promise<{ status: number; data: T }> {
  const res = await request.post(`/api/trpc/${path}`, { data: { json: input } });
  const body = await res.json();
  return { status: res.status(), data: body?.result?.data?.json as T };
}

test("import a LinkedIn Connections.csv: progress, then a report with the invalid row", async ({ page, signIn }) => {
  await signIn("rep");
  const u = uniq();
  const csv = [
    "Notes:",
    '"When exporting your connection data, you may notice that some of the email addresses are missing."',
    "",
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    `Thảo,Nguyễn ${u},https://www.linkedin.com/in/thao-${u},thao.${u}@example.com,Sao Mai,Head of Sales,12 Mar 2024`,
    `Peter,O'Neil ${u},https://www.linkedin.com/in/peter-${u},,"Acme, Inc.",CTO,01 Feb 2023`,
    `Bad,Email ${u},https://www.linkedin.com/in/bad-${u},a@b,Nowhere,Intern,01 Jan 2024`,
  ].join("\n");
  await page.goto("/contacts/import");
  await page.getByLabel("File").setInputFiles({ name: "Connections.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("import-kind")).toHaveText("LinkedIn connections export");
  await expect(page.getByLabel("Column URL maps to")).toHaveValue("linkedinUrl");
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page.getByTestId("import-progress")).toBeVisible();
  await expect(page.getByTestId("import-status")).toHaveText("DONE");
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("count-created")).toHaveText("2");
  await expect(page.getByTestId("count-invalid")).toHaveText("1");
  await expect(page.getByTestId("import-problems")).toContainText('invalid email "a@b"');
  // Every problem, as a file to fix the list with.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the problem (CSV)" }).click()]);
  expect(download.suggestedFilename()).toBe("Connections-problems.csv");
  const text = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  // The row as the file had it, under the file's own header, then where and why: the file to fix and import again.
  expect(text.trimEnd().split("\r\n")).toEqual([
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On,Import line,Import result,Import problem",
    `Bad,Email ${u},https://www.linkedin.com/in/bad-${u},a@b,Nowhere,Intern,01 Jan 2024,7,invalid,"invalid email ""a@b"" (Bad Email ${u})"`,
  ]);
  // A malformed id is a 422, an import that is not the rep's (or none) a 404.
  expect((await page.request.get("/api/contacts/import/not-an-id/problems")).status()).toBe(422);
  expect((await page.request.get(`/api/contacts/import/${randomUUID()}/problems`)).status()).toBe(404);

  await page.getByRole("link", { name: "See contacts" }).click();
  await page.getByLabel("Search").fill(`thao ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await page.getByRole("link", { name: `Thảo Nguyễn ${u}` }).click();
  await expect(page.getByTestId("contact-source")).toHaveText("LinkedIn connection");
  await expect(page.getByTestId("campaigns")).toContainText("No campaigns yet");
});

test("search finds a contact with and without accents", async ({ page, signIn }) => {
  await signIn("rep");
  const u = uniq();
  const created = await trpc<{ id: string }>(page.request, "contacts.create", { fullName: `Nguyễn Văn Đức ${u}`, company: "Công ty Sao Mai" });
  expect(created.status).toBe(200);
  await page.goto("/contacts");
  const search = page.getByLabel("Search");
  // What the search found is said in a polite status region too (screen readers hear nothing of the table).
  const found = page.getByTestId("contacts-found");
  await expect(found).toHaveAttribute("role", "status");
  await expect(found).toHaveAttribute("aria-live", "polite");
  for (const q of [`nguyen van duc ${u}`, `Nguyễn ${u}`, `NGUYEN ${u}`, `cong ty sao ${u}`]) {
    await search.fill(q);
    await expect(page.getByTestId("contact-row")).toHaveCount(1);
    await expect(page.getByTestId("contact-row")).toContainText(`Nguyễn Văn Đức ${u}`);
    await expect(found).toHaveText("1 contact");
  }
  await search.fill(`nobody-${u}`);
  await expect(page.getByTestId("no-contacts")).toBeVisible();
  await expect(found).toHaveText("No contacts match");
  // Two of them: the count follows.
  expect((await trpc(page.request, "contacts.create", { fullName: `Nguyễn Thị Lan ${u}` })).status).toBe(200);
  await search.fill(`nguyen ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(2);
  await expect(found).toHaveText("2 contacts");
});

test("a search typed before the page's script has run is kept and runs once it has", async ({ page, signIn }) => {
  await signIn("rep");
  const u = uniq();
  expect((await trpc(page.request, "contacts.create", { fullName: `Early Typist ${u}` })).status).toBe(200);
  // Hold the page's scripts (routing also turns off the HTTP cache, so none comes from there).
  let release!: () => void;
  const scriptsHeld = new Promise<void>((r) => (release = r));
  await page.route(/\/_next\/static\/chunks\//, async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  // (Not "domcontentloaded": Next's deferred scripts hold that event back too.)
  await page.goto("/contacts", { waitUntil: "commit" });
  await page.getByLabel("Search").fill(`typist ${u}`);
  await expect(page.locator("html")).not.toHaveAttribute("data-hydrated", "true");
  release();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByLabel("Search")).toHaveValue(`typist ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await expect(page.getByTestId("contact-row")).toContainText(`Early Typist ${u}`);
});

test("on a phone the filters fold behind a button, so the first screen shows the search and the results", async ({ page, signIn }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn("rep");
  const u = uniq();
  expect((await trpc(page.request, "contacts.create", { fullName: `Phone View ${u}` })).status).toBe(200);
  await page.goto("/contacts");
  await expect(page.getByLabel("Source")).toBeHidden();
  await page.getByLabel("Search").fill(`phone view ${u}`);
  const row = page.getByTestId("contact-row");
  await expect(row).toHaveCount(1);
  // The result is on the first screen, not below a column of filters.
  const box = await row.boundingBox();
  expect(box && box.y + box.height).toBeLessThanOrEqual(844);

  const toggle = page.getByTestId("filters-toggle");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await page.getByLabel("Source").selectOption("manual");
  await toggle.click();
  await expect(page.getByLabel("Source")).toBeHidden();
  // Folded, it still says a filter is in use.
  await expect(toggle).toHaveText("Filters (1)");

  // From the sm breakpoint up the filters are always shown and the button is gone.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByLabel("Source")).toBeVisible();
  await expect(toggle).toBeHidden();
});

test("merge two duplicates, picking values field by field", async ({ page, signIn }) => {
  await signIn("rep");
  const u = uniq();
  const a = await trpc<{ id: string }>(page.request, "contacts.create", { fullName: `Mara Quinn ${u}`, email: `mara.${u}@example.com`, company: "Old Co", tags: ["first"] });
  const b = await trpc<{ id: string }>(page.request, "contacts.create", { fullName: `Mara Quinn ${u}`, email: `MARA.${u}@example.com`, company: "New Co", phone: "+14155550142", tags: ["second"] });
  expect([a.status, b.status]).toEqual([200, 200]);
  await page.goto("/contacts/duplicates");
  await page.getByLabel("Narrow duplicates").fill(`quinn ${u}`);
  await page.getByRole("button", { name: "Find" }).click();
  const pair = page.getByTestId("duplicate-pair");
  await expect(pair).toHaveCount(1);
  await expect(pair).toContainText("same email");
  await pair.getByRole("button", { name: "Merge…" }).click();
  await pair.getByLabel("Company: New Co").check();
  await pair.getByRole("button", { name: "Merge", exact: true }).click();
  await expect(page.getByTestId("no-duplicates")).toBeVisible();

  await page.goto("/contacts");
  await page.getByLabel("Search").fill(`quinn ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await page.getByRole("link", { name: `Mara Quinn ${u}` }).click();
  await expect(page.getByLabel("Company")).toHaveValue("New Co");
  await expect(page.getByLabel("Phone")).toHaveValue("+14155550142");
  await expect(page.getByTestId("tags")).toContainText("first");
  await expect(page.getByTestId("tags")).toContainText("second");
});

test("export a CSV: a formula-looking cell is neutralized and markup stays text", async ({ page, signIn }) => {
  await signIn("rep");
  const u = uniq();
  await trpc(page.request, "contacts.create", { fullName: `=HYPERLINK("http://evil.example";"x") ${u}`, company: `Formula ${u}`, notes: "@SUM(A1)" });
  await trpc(page.request, "contacts.create", { fullName: `<script>alert(1)</script> ${u}`, company: `Formula ${u}` });
  await page.goto("/contacts");
  await page.getByLabel("Search").fill(`formula ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(2);
  // Shown escaped: the text is visible, no script ran.
  await expect(page.getByRole("link", { name: `<script>alert(1)</script> ${u}` })).toBeVisible();
  await page.getByLabel("Select all shown").check();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-selected-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^contacts-.*\.csv$/);
  const text = await readFile((await download.path())!, "utf8");
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example"";""x"") ${u}"`);
  expect(text).toContain("'@SUM(A1)");
  expect(text).toContain(`<script>alert(1)</script> ${u}`);
  expect(text).not.toMatch(/(^|,)=HYPERLINK/m);

  const res = await page.request.get(`/api/contacts/export?format=csv&search=${encodeURIComponent(`formula ${u}`)}`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="contacts-.*\.csv"$/);
  expect(await res.text()).toContain("'=HYPERLINK");
  expect((await page.request.get("/api/contacts/export?format=xls")).status()).toBe(422);
});

test("a contact's 'Save to phone' downloads its vCard: family name first for a Vietnamese name, the website as a link", async ({ page, signIn }) => {
  await signIn("rep");
  const u = uniq();
  const { data: c } = await trpc<{ id: string }>(page.request, "contacts.create", { fullName: `Nguyễn Thị Minh Anh`, company: `Sao Mai ${u}`, website: "saomai.example" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/contacts/${c.id}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("save-vcard").click()]);
  expect(download.suggestedFilename()).toMatch(/\.vcf$/);
  const vcf = await readFile((await download.path())!, "utf8");
  expect(vcf.match(/BEGIN:VCARD/g)).toHaveLength(1);
  expect(vcf).toContain("N:Nguyễn;Thị Minh Anh;;;");
  expect(vcf).toContain("URL:https://saomai.example");
  expect(vcf).toContain(`ORG:Sao Mai ${u}`);
});

test("a rep cannot edit another rep's contact, in the UI or through the API", async ({ page, signIn, browser }) => {
  await signIn("admin");
  const u = uniq();
  const second = { email: `rep2-${u}@example.com`, password: "second-rep-1" };
  expect((await trpc(page.request, "users.create", { email: second.email, name: `Second Rep ${u}`, password: second.password, role: "REP" })).status).toBe(200);

  // The seeded rep owns a contact.
  const repContext = await browser.newContext();
  const repPage = await repContext.newPage();
  await signInPage(repPage, "rep");
  const owned = await trpc<{ id: string }>(repPage.request, "contacts.create", { fullName: `Owned By Rob ${u}` });
  expect(owned.status).toBe(200);
  await repContext.close();

  // The second rep sees it, read-only, and the API refuses changes.
  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  await p2.goto("/login");
  await p2.getByLabel("Email").fill(second.email);
  await p2.getByLabel("Password").fill(second.password);
  await p2.getByRole("button", { name: "Sign in" }).click();
  await expect(p2.getByTestId("current-user")).toContainText(second.email);
  await p2.goto(`/contacts/${owned.data.id}`);
  await expect(p2.getByTestId("contact-name")).toHaveText(`Owned By Rob ${u}`);
  await expect(p2.getByTestId("read-only")).toBeVisible();
  await expect(p2.getByLabel("Full name")).toBeDisabled();
  await expect(p2.getByRole("button", { name: "Save" })).toHaveCount(0);
  const update = await p2.request.post("/api/trpc/contacts.update", { data: { json: { id: owned.data.id, fullName: "Hacked" } } });
  expect(update.status()).toBe(403);
  const del = await p2.request.post("/api/trpc/contacts.delete", { data: { json: { id: owned.data.id } } });
  expect(del.status()).toBe(403);
  const bulk = await p2.request.post("/api/trpc/contacts.bulkDelete", { data: { json: { ids: [owned.data.id] } } });
  expect(bulk.status()).toBe(403);
  const still = await trpc<{ fullName: string }>(p2.request, "contacts.get", { id: owned.data.id }).catch(() => null);
  expect(still).not.toBeNull();
  await ctx.close();

  // The admin can edit it.
  await page.goto(`/contacts/${owned.data.id}`);
  await expect(page.getByTestId("read-only")).toHaveCount(0);
  await page.getByLabel("Title").fill("Reviewed by admin");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
});

test("import refuses files over 10 MB and binary files with a clear 4xx", async ({ page, signIn }) => {
  await signIn("rep");
  const big = await page.request.post("/api/contacts/import", {
    multipart: { file: { name: "big.csv", mimeType: "text/csv", buffer: Buffer.alloc(20 * 1024 * 1024, "a") }, onDuplicate: "skip" },
  });
  expect(big.status()).toBe(413);
  expect((await big.json()).error.message).toMatch(/10 MB/);
  const png = await page.request.post("/api/contacts/import", {
    multipart: { file: { name: "photo.csv", mimeType: "text/csv", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) }, onDuplicate: "skip" },
  });
  expect(png.status()).toBe(422);
  expect((await png.json()).error.message).toMatch(/not a text CSV or vCard/);
});

test("other numbers: add a mobile on a contact's page, save, see it after a reload, and find the contact by it", async ({ page, signIn }) => {
  await signIn("rep");
  const u = uniq();
  const { data: c } = await trpc<{ id: string }>(page.request, "contacts.create", { fullName: `Mobile Person ${u}`, phone: "+1 415 555 0100" });
  // An unused German mobile: +49 1522 and 7 digits.
  const digits = String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0");
  await page.goto(`/contacts/${c.id}`);
  await page.getByRole("button", { name: "Add number" }).click();
  await page.getByLabel("Type of other number 1", { exact: true }).selectOption("mobile");
  // With its country code: the contact has nothing (e-mail domain, address) that says it is German.
  await page.getByLabel("Other number 1", { exact: true }).fill(`+49 1522 ${digits}`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");

  await page.reload();
  await expect(page.getByLabel("Other number 1", { exact: true })).toHaveValue(`+49 1522 ${digits}`);
  await expect(page.getByLabel("Type of other number 1", { exact: true })).toHaveValue("mobile");

  // A mistyped second number is refused next to its row, and nothing is saved.
  await page.getByRole("button", { name: "Add number" }).click();
  await page.getByLabel("Other number 2", { exact: true }).fill("12");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("other-phone-row").nth(1)).toContainText("invalid phone");
  await expect(page.getByLabel("Other number 2", { exact: true })).toHaveAttribute("aria-invalid", "true");

  await page.goto("/contacts");
  await page.getByLabel("Search").fill(`+49 1522 ${digits}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await expect(page.getByRole("link", { name: `Mobile Person ${u}` })).toBeVisible();
});
