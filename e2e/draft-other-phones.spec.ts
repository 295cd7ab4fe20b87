// The draft review page's "Other numbers" on a phone: the card's second and third numbers are rows the rep can
// correct, remove or add to before confirming (QA review: a misread mobile went into the contact unfixable).
import { test, expect, sql, trpc } from "./fixtures";
import type { Page } from "@playwright/test";
import { formatPhone } from "../server/contacts/contact-links";
import { randomUsDigits } from "../server/testing/us-phone";

const PHONE = { width: 390, height: 844 };

test.describe.configure({ mode: "serial" });

/** Letters only: the parser does not take a line with digits for a name. */
const word = () => {
  const w = Math.random().toString(36).replace(/[^a-z]/g, "").slice(0, 7).padEnd(5, "q");
  return w[0].toUpperCase() + w.slice(1);
};
/** An unused US number's digits, valid for libphonenumber, so typed nationally it is read. */
const usDigits = randomUsDigits;

/** No draft of the rep's waiting: a confirm then lands on the new contact's page. */
async function clearDrafts(page: Page) {
  const res = await page.request.get("/api/trpc/drafts.list");
  expect(res.status()).toBe(200);
  for (const d of (await res.json()).result.data.json as { id: string }[]) await trpc(page, "drafts.discard", { id: d.id });
}

async function openDraft(page: Page, id: string) {
  await page.goto(`/drafts/${id}`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("button", { name: "Confirm contact" })).toBeEnabled();
}

/** A pasted signature with a work line (the Phone field), a mobile read one digit wrong and a fax. */
async function signatureDraft(page: Page) {
  const stamp = Date.now();
  const name = `Nora ${word()}`;
  const [work, misread, fax] = [usDigits(), usDigits(), usDigits()];
  const e164 = (d: { area: string; line: string }) => `+1${d.area}555${d.line}`;
  const text = [name, "Head of Sales, Quillworks Ltd", `nora.${stamp}@quillworks.example`, `Tel +1 ${work.area} 555 ${work.line}`, `Mobile +1 ${misread.area} 555 ${misread.line}`, `Fax +1 ${fax.area} 555 ${fax.line}`].join("\n");
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text });
  return { draftId, name, work: e164(work), misread: e164(misread), fax: e164(fax), misreadDigits: misread };
}

test("a rep corrects the card's mobile, removes the fax, confirms: the contact has exactly the corrected number", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  await clearDrafts(page);
  const card = await signatureDraft(page);
  await openDraft(page, card.draftId);

  // The numbers beyond Phone are rows, as confirm would save them: the mobile, then the fax.
  await expect(page.locator("#f-phone")).toHaveValue(card.work);
  await expect(page.getByTestId("other-phone-row")).toHaveCount(2);
  await expect(page.getByLabel("Other number 1", { exact: true })).toHaveValue(formatPhone(card.misread));
  await expect(page.getByLabel("Type of other number 1", { exact: true })).toHaveValue("mobile");
  await expect(page.getByLabel("Other number 2", { exact: true })).toHaveValue(formatPhone(card.fax));
  await expect(page.getByLabel("Type of other number 2", { exact: true })).toHaveValue("fax");
  // Nothing of the card is outside the form yet: no "also on the card" line.
  await expect(page.getByTestId("card-numbers")).toHaveCount(0);

  // The right mobile, typed as a rep reads it off the card (no country code: the draft's country), and no fax.
  const right = { area: card.misreadDigits.area, line: String((Number(card.misreadDigits.line) + 1) % 10_000).padStart(4, "0") };
  const rightE164 = `+1${right.area}555${right.line}`;
  await page.getByLabel("Other number 1", { exact: true }).fill(`(${right.area}) 555-${right.line}`);
  await page.getByRole("button", { name: "Remove other number 2" }).click();
  await expect(page.getByTestId("other-phone-row")).toHaveCount(1);
  // What the card said and the form no longer holds is named once, so a slip can be typed back.
  await expect(page.getByTestId("card-numbers")).toContainText(`${formatPhone(card.misread)} (mobile), ${formatPhone(card.fax)} (fax)`);
  // The rows fit a phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  // A reload (the phone discarded the tab) brings the rows back as typed, not saved yet.
  await page.reload();
  await expect(page.getByTestId("edits-restored")).toBeVisible();
  await expect(page.getByTestId("other-phone-row")).toHaveCount(1);
  await expect(page.getByLabel("Other number 1", { exact: true })).toHaveValue(`(${right.area}) 555-${right.line}`);

  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  const contactId = page.url().split("/").pop()!;
  await expect(page.getByTestId("other-phone-row")).toHaveCount(1);
  await expect(page.getByLabel("Other number 1", { exact: true })).toHaveValue(formatPhone(rightE164));
  await expect(page.getByLabel("Type of other number 1", { exact: true })).toHaveValue("mobile");
  const [row] = await sql<{ phone: string; otherPhones: unknown; notes: string | null }>(`SELECT phone, "otherPhones", notes FROM "Contact" WHERE id = $1`, [contactId]);
  expect(row).toEqual({ phone: card.work, otherPhones: [{ type: "mobile", e164: rightE164 }], notes: null });
});

test("a number the server refuses is marked under its own row, the others keep theirs, and nothing is saved", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  await clearDrafts(page);
  const card = await signatureDraft(page);
  await openDraft(page, card.draftId);

  await page.getByRole("button", { name: "Add number" }).click();
  await expect(page.getByTestId("other-phone-row")).toHaveCount(3);
  await page.getByLabel("Other number 3", { exact: true }).fill("12");
  await page.getByRole("button", { name: "Save draft" }).click();
  const third = page.getByTestId("other-phone-row").nth(2);
  await expect(third).toContainText('invalid phone "12"');
  await expect(page.getByLabel("Other number 3", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Other number 3", { exact: true })).toBeFocused();
  await expect(page.getByLabel("Other number 1", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("review-error")).toContainText("Check the marked fields.");
  // zod's and the phone rules' words are under the row, not repeated in the general message.
  await expect(page.getByTestId("review-error")).not.toContainText("invalid phone");
  const [before] = await sql<{ extractedData: Record<string, unknown> }>(`SELECT "extractedData" FROM "DraftContact" WHERE id = $1`, [card.draftId]);
  expect(before.extractedData.otherPhonesEdited).toBeUndefined();

  // Fixed: the row's message goes, the save goes through, and the draft keeps the rep's three numbers.
  const home = usDigits();
  await page.getByLabel("Other number 3", { exact: true }).fill(`+1 ${home.area} 555 ${home.line}`);
  await expect(third).not.toContainText("invalid phone");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("review-error")).toHaveCount(0);
  await expect.poll(async () => (await sql<{ extractedData: Record<string, unknown> }>(`SELECT "extractedData" FROM "DraftContact" WHERE id = $1`, [card.draftId]))[0].extractedData.otherPhonesEdited).toBe(true);
  await page.reload();
  await expect(page.getByTestId("other-phone-row")).toHaveCount(3);
  await expect(page.getByTestId("edits-restored")).toHaveCount(0);
  await trpc(page, "drafts.discard", { id: card.draftId });
});

test("rows the rep has not changed follow the Phone field, as confirm will: the number moved into Phone leaves them, the one it replaced joins them", async ({ page, signIn }) => {
  await signIn("rep");
  await clearDrafts(page);
  const card = await signatureDraft(page);
  await openDraft(page, card.draftId);
  await page.locator("#f-phone").fill(formatPhone(card.misread));
  await expect(page.getByTestId("other-phone-row")).toHaveCount(2);
  await expect(page.getByLabel("Other number 1", { exact: true })).toHaveValue(formatPhone(card.work));
  await expect(page.getByLabel("Type of other number 1", { exact: true })).toHaveValue("work");
  await expect(page.getByLabel("Other number 2", { exact: true })).toHaveValue(formatPhone(card.fax));
  await expect(page.getByTestId("card-numbers")).toHaveCount(0);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  const [row] = await sql<{ phone: string; otherPhones: unknown }>(`SELECT phone, "otherPhones" FROM "Contact" WHERE id = $1`, [page.url().split("/").pop()]);
  expect(row).toEqual({ phone: card.misread, otherPhones: [{ type: "work", e164: card.work }, { type: "fax", e164: card.fax }] });
});
