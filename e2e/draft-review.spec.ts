// The draft review page (/drafts/[id]) with the inputs and habits of a rep on a phone: a
// signature with a 500-character link or a 10,000-letter word, a name the server rejects,
// a batch reviewed draft after draft, a discard tapped by mistake, a duplicate to merge into.
import AxeBuilder from "@axe-core/playwright";
import { test, expect, trpc, sql, USERS } from "./fixtures";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { draftFieldsInput } from "../server/drafts/schemas";

const PHONE = { width: 390, height: 844 };

test.describe.configure({ mode: "serial" });

/** Letters only: the parser does not take a line with digits for a name. */
const word = () => {
  const w = Math.random().toString(36).replace(/[^a-z]/g, "").slice(0, 7).padEnd(5, "q");
  return w[0].toUpperCase() + w.slice(1);
};

/** Each test starts with none of the rep's drafts waiting, so "next" and "left" are known. */
async function clearDrafts(page: Page) {
  const res = await page.request.get("/api/trpc/drafts.list");
  expect(res.status()).toBe(200);
  for (const d of (await res.json()).result.data.json as { id: string }[]) await trpc(page, "drafts.discard", { id: d.id });
}

async function draftStatus(page: Page, id: string) {
  return (await page.request.get(`/api/trpc/drafts.get?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}`)).status();
}

async function pageWidth(page: Page) {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
}

/** Where an element is on the page (not in the viewport, which scrolls between taps). */
async function pageBox(locator: Locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + window.scrollY, right: r.right + window.scrollX };
  });
}

/** axe's serious and critical WCAG 2.1 A/AA findings, as e2e/a11y.spec.ts checks the page as
 *  first shown; here for the states it does not reach (marked fields, discard asked, the
 *  duplicate panel). */
async function axeFindings(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function signInApi(request: APIRequestContext, who: keyof typeof USERS) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/credentials", { form: { ...USERS[who], csrfToken, json: "true" } });
  expect(res.status()).toBe(200);
}

test("a 500-character link or a 10,000-letter word in pasted text keeps the page within a phone's width", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  await clearDrafts(page);
  const stamp = Date.now();
  const url = `https://longurl.example/${"a".repeat(476)}`;
  expect(url).toHaveLength(500);
  const cases = [
    { text: `Jane ${word()}\nHead of Links, Longurl Ltd\njane.${stamp}@longurl.example\n${url}`, shows: url.slice(0, 60) },
    { text: `Wide ${word()}\n${"A".repeat(10_000)}\nwide.${stamp}@example.com`, shows: "AAAAAAAAAA" },
  ];
  for (const c of cases) {
    const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: c.text });
    await page.goto(`/drafts/${draftId}`);
    const confirm = page.getByRole("button", { name: "Confirm contact" });
    await expect(confirm).toBeVisible();
    await expect(page.getByTestId("raw-text")).toContainText(c.shows);
    // Before: 1,604 px for the link, 84,064 px for the letters.
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await confirm.scrollIntoViewIfNeeded();
    const box = (await confirm.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    // A real tap at its centre reaches the button (nothing overlays it) and confirms.
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    // No other draft is waiting, so the new contact opens.
    await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  }
});

test("a field the server rejects is marked beside it, with the reason, and the inputs stop at the server's limits", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  await clearDrafts(page);
  const stamp = Date.now();
  const who = `Vera ${word()}`;
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `${who}\nLimits Ltd\nvera.${stamp}@limits.example` });
  await page.goto(`/drafts/${draftId}`);
  const name = page.getByLabel("Name");
  const email = page.getByLabel("Email");
  await expect(name).toBeVisible();

  // Every input's maxlength is the server's limit for that field.
  for (const [key, schema] of Object.entries(draftFieldsInput.shape)) {
    await expect(page.locator(`#f-${key}`)).toHaveAttribute("maxlength", String(schema.unwrap().unwrap().maxLength));
  }
  // Typing or pasting stops at the limit.
  await name.fill("N".repeat(10_000));
  await expect(name).toHaveValue("N".repeat(200));

  // A longer value the browser did not limit (e.g. an older page): the server's 422 names
  // "fields.fullName", and the page marks the Name field with it.
  await name.evaluate((el) => el.removeAttribute("maxlength"));
  await name.fill("N".repeat(10_000));
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("error-fullName")).toHaveText("Too long: at most 200 characters, this has 10,000.");
  await expect(name).toHaveAttribute("aria-describedby", "f-fullName-error");
  await expect(page.getByTestId("review-error")).toHaveText("Check the marked fields.");
  await expect(name).toBeFocused();
  await expect(email).not.toHaveAttribute("aria-invalid", /.*/);
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  expect(await axeFindings(page)).toEqual([]);
  // Correcting the field clears its mark.
  await name.fill(who);
  await expect(name).not.toHaveAttribute("aria-invalid", /.*/);
  await expect(page.getByTestId("error-fullName")).toHaveCount(0);

  // The server's own checks answer in details.fieldErrors under the bare name.
  await email.fill("not an email");
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("error-email")).toHaveText("Not a valid email address");
  await expect(email).toBeFocused();
  await email.fill(`vera.${stamp}@limits.example`);
  await name.fill("");
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page.getByTestId("error-fullName")).toHaveText("Enter the person's name");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  expect(page.url()).toMatch(new RegExp(`/drafts/${draftId}$`));

  await name.fill(who);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("contact-name")).toHaveText(who);
});

test("after confirm or discard the next waiting draft opens, with what was done; discarding asks first", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  await clearDrafts(page);
  const stamp = Date.now();
  // Created oldest first; the drafts list shows them newest first: d3, d2, d1.
  const ids: string[] = [];
  const names: string[] = [];
  for (const n of [1, 2, 3]) {
    const who = `Batch ${word()} ${word()}`;
    names.push(who);
    ids.push((await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `${who}\nBatch Cards Ltd\nbatch${n}.${stamp}@batch.example` })).draftId);
  }
  const [d1, d2, d3] = ids;
  const name = page.getByLabel("Name");

  // From the middle of the list: confirm goes on to the next one listed (d1).
  await page.goto(`/drafts/${d2}`);
  await expect(name).toHaveValue(names[1]);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page).toHaveURL(new RegExp(`/drafts/${d1}$`));
  await expect(name).toHaveValue(names[0]); // the next draft's own fields, not the last one's
  const notice = page.getByTestId("review-notice");
  await expect(notice).toHaveText(`Saved ${names[1]} — 2 left. Open the contact`);
  const contactHref = await notice.getByRole("link", { name: "Open the contact" }).getAttribute("href");
  expect(contactHref).toMatch(/^\/contacts\/[0-9a-f-]{36}$/);

  // Discard asks first. The button turns into "Keep draft" in the same place, so a
  // double tap keeps the draft.
  const discard = page.getByRole("button", { name: "Discard", exact: true });
  const before = await pageBox(discard);
  await discard.dblclick();
  await expect(page.getByRole("button", { name: "Yes, discard" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Discard", exact: true })).toBeVisible();
  expect(await draftStatus(page, d1)).toBe(200);
  await page.getByRole("button", { name: "Discard", exact: true }).click();
  const keep = page.getByRole("button", { name: "Keep draft" });
  const after = await pageBox(keep);
  expect(Math.abs(after.right - before.right)).toBeLessThan(2);
  expect(Math.abs(after.top - before.top)).toBeLessThan(2);
  await expect(page.getByRole("alert").filter({ hasText: "Delete this draft and its card photo?" })).toBeVisible();
  expect(await axeFindings(page)).toEqual([]);
  await keep.click();
  await expect(page.getByRole("button", { name: "Yes, discard" })).toHaveCount(0);
  expect(await draftStatus(page, d1)).toBe(200);

  // Confirmed discard: d1 was the last listed, so the list starts over (d3).
  await page.getByRole("button", { name: "Discard", exact: true }).click();
  await page.getByRole("button", { name: "Yes, discard" }).click();
  await expect(page).toHaveURL(new RegExp(`/drafts/${d3}$`));
  await expect(notice).toHaveText(`Discarded ${names[0]}'s draft — 1 left.`);
  await expect(notice.getByRole("link")).toHaveCount(0);
  expect(await draftStatus(page, d1)).toBe(404);

  // The last draft: confirm opens the contact itself.
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("contact-name")).toHaveText(names[2]);
  await page.goto(contactHref!);
  await expect(page.getByTestId("contact-name")).toHaveText(names[1]);
  // A reload of a draft page shows no old notice.
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `Late ${word()}\nBatch Cards Ltd\nlate.${stamp}@batch.example` });
  await page.goto(`/drafts/${draftId}`);
  await expect(name).toBeVisible();
  await expect(notice).toHaveCount(0);
  await trpc(page, "drafts.discard", { id: draftId });
});

test("merging into a duplicate shows, field by field, what would change before the rep chooses", async ({ page, signIn, playwright, baseURL }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  await clearDrafts(page);
  const stamp = Date.now();
  const who = `Mira ${word()}`;
  const email = `mira.${stamp}@merge.example`;
  const existing = await trpc<{ id: string }>(page, "contacts.create", { fullName: who, title: "Buyer", company: "Old Name GmbH", email, phone: "+442079460123", address: "1 Old Street, London", tags: ["vip"] });

  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `${who}\n${email}` });
  await page.goto(`/drafts/${draftId}`);
  await page.getByLabel("Name").fill(who);
  await page.getByLabel("Title").fill("Head of Purchasing");
  await page.getByLabel("Company").fill("New Name GmbH");
  await page.getByLabel("Email").fill(email.toUpperCase()); // stored lower-case: no change
  await page.getByLabel("Phone").fill("");
  await page.getByLabel("Address").fill("");
  await page.getByLabel("Website").fill("");
  // Tags are added to the contact's, never replace them: the panel lists the new one.
  await page.getByLabel("Tags").fill("VIP, expo-2026");
  await page.getByRole("button", { name: "Confirm contact" }).click();

  const panel = page.getByTestId("conflict-panel");
  await expect(panel).toBeVisible();
  const changes = panel.getByTestId("merge-changes");
  await expect(changes.getByTestId("merge-change-title")).toHaveText("TitleBuyer → Head of Purchasing");
  await expect(changes.getByTestId("merge-change-company")).toHaveText("CompanyOld Name GmbH → New Name GmbH");
  await expect(changes.getByTestId("merge-change-tags")).toHaveText("Tagsvip + expo-2026");
  await expect(panel).toContainText("Merging changes 2 fields of this contact and adds 1 tag:");
  // Same value, or nothing on the card: not listed, the contact keeps it.
  for (const key of ["fullName", "email", "phone", "address", "website"]) await expect(changes.getByTestId(`merge-change-${key}`)).toHaveCount(0);
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  expect(await axeFindings(page)).toEqual([]);

  // Editing a field after the check drops the panel: its preview was for the old values.
  await page.getByLabel("Title").fill("Head of Purchasing EMEA");
  await expect(panel).toHaveCount(0);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(panel.getByTestId("merge-change-title")).toHaveText("TitleBuyer → Head of Purchasing EMEA");

  await panel.getByRole("button", { name: "Merge into this contact" }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${existing.id}$`));
  const merged = await trpc<Record<string, string | null>>(page, "contacts.get", { id: existing.id }, "GET");
  expect(merged).toMatchObject({ title: "Head of Purchasing EMEA", company: "New Name GmbH", email, phone: "+442079460123", address: "1 Old Street, London", tags: ["vip", "expo-2026"] });

  // Another rep's (here the admin's) contact: the preview shows, the merge is not offered.
  const admin = await playwright.request.newContext({ baseURL });
  await signInApi(admin, "admin");
  const adminEmail = `owned.${stamp}@merge.example`;
  const res = await admin.post("/api/trpc/contacts.create", { data: { json: { fullName: `Otto ${word()}`, email: adminEmail } } });
  expect(res.status()).toBe(200);
  await admin.dispose();
  const otto = `Otto ${word()}`;
  const second = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `${otto}\n${adminEmail}` });
  await page.goto(`/drafts/${second.draftId}`);
  await expect(page.getByLabel("Name")).toHaveValue(otto);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(panel.getByTestId("merge-change-fullName")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Merge into this contact" })).toHaveCount(0);
  await expect(panel).toContainText("only they or an admin can merge into it");
  await panel.getByRole("button", { name: "Create anyway" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
});

test("a name OCR read without its accents is flagged with the usual spelling, and one tap uses it", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  await clearDrafts(page);
  const stamp = Date.now();
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `Martin Ramirez\nAccent Labs\nmartin.${stamp}@accents.example` });
  // The hint the worker stores for an OCR'd card (server/ocr/accent-check.ts); pasted text gets none.
  await sql(`UPDATE "DraftContact" SET "extractedData" = "extractedData" || $2::jsonb, "confidenceData" = "confidenceData" || '{"fullName": 0.6}'::jsonb WHERE "id" = $1`, [
    draftId,
    JSON.stringify({ hints: { fullName: { message: "This name is usually written with accents, which OCR often misses. Check against the photo.", suggestion: "Martín Ramírez" } } }),
  ]);
  await page.goto(`/drafts/${draftId}`);
  const name = page.getByLabel("Name");
  await expect(name).toHaveValue("Martin Ramirez");
  await expect(page.getByTestId("low-fullName")).toBeVisible();
  const hint = page.getByTestId("hint-fullName");
  await expect(hint).toContainText("usually written with accents");
  await expect(name).toHaveAttribute("aria-describedby", "f-fullName-hint");
  await hint.getByRole("button", { name: "Use “Martín Ramírez”" }).click();
  await expect(name).toHaveValue("Martín Ramírez");
  await expect(hint).toHaveCount(0);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  // No other draft waits: the page goes on to the new contact.
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  const [row] = await sql<{ fullName: string }>(`SELECT "fullName" FROM "Contact" WHERE "email" = $1`, [`martin.${stamp}@accents.example`]);
  expect(row.fullName).toBe("Martín Ramírez");
});
