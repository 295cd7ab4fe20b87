// A card the worker cannot read, end to end: the batch line counts it ("1 of 2 ready · 1 failed"), its row says so
// in plain words and offers "Type it in", which opens an empty draft on the card's photo; the rep types the card in
// and confirms it; back on the scan page the row links to the contact it became (not to the deleted draft) instead
// of offering a second one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, trpc } from "./fixtures";
import { randomUsDigits } from "../server/testing/us-phone";

const GOOD = path.resolve(__dirname, "../bench/ocr-cards/own-01.jpg");

test("a card that fails OCR can be typed in from its photo", async ({ page, signIn }) => {
  test.setTimeout(180_000);
  // A JPEG cut in half passes the upload checks (its header is fine) and fails in the worker at once.
  const whole = fs.readFileSync(path.resolve(__dirname, "../bench/ocr-cards/own-02.jpg"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-failed-"));
  const half = path.join(dir, `half-${Date.now()}.jpg`);
  fs.writeFileSync(half, whole.subarray(0, Math.floor(whole.length / 2)));

  await signIn("rep");
  await page.goto("/scan");
  await page.getByTestId("file-input").setInputFiles([GOOD, half]);
  await expect(page.getByTestId("scan-row")).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId("scan-summary")).toHaveText("1 of 2 ready · 1 failed", { timeout: 150_000 });

  const failedRow = page.locator('[data-testid="scan-row"][data-status="FAILED"]');
  await expect(failedRow).toContainText(path.basename(half));
  await expect(failedRow.getByTestId("scan-failed")).toHaveText("We couldn't read this card. Type it in from the photo.");
  await expect(failedRow.getByTestId("scan-error")).toContainText("could not be read");

  await failedRow.getByRole("button", { name: "Type it in" }).click();
  await expect(page).toHaveURL(/\/drafts\/[0-9a-f-]{36}$/);
  const draftId = page.url().split("/").pop()!;
  // The photo is there (the part of it that arrived), and every field is empty for the rep to fill.
  const photo = page.getByTestId("draft-photo");
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.locator("#f-fullName")).toHaveValue("");
  await expect(page.locator("#f-email")).toHaveValue("");

  const name = `Typed In ${Date.now()}`;
  // A number of its own: other tests' contacts share the database, and a shared number would
  // (rightly) stop the confirm at the duplicate check.
  const { area, line } = randomUsDigits();
  await page.locator("#f-fullName").fill(name);
  await page.locator("#f-phone").fill(`+1 ${area} 555 ${line}`);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/drafts/${draftId}$`), { timeout: 15_000 });
  const contacts = await trpc<{ items: { id: string; fullName: string; phone: string | null }[] }>(page, "contacts.list", { search: name }, "GET");
  expect(contacts.items.map((c) => [c.fullName, c.phone])).toEqual([[name, `+1${area}555${line}`]]);

  // The same scan cannot be typed in twice; its row now leads to the contact, since the draft is gone.
  await page.goto("/scan");
  const toContact = failedRow.getByRole("link", { name: "Open contact →" });
  await expect(toContact).toHaveAttribute("href", `/contacts/${contacts.items[0].id}`, { timeout: 15_000 });
  await expect(failedRow.getByRole("link", { name: "Open draft →" })).toHaveCount(0);
  await expect(failedRow.getByRole("button", { name: "Type it in" })).toHaveCount(0);
  await toContact.click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${contacts.items[0].id}$`));
  await expect(page.getByText(name).first()).toBeVisible();
});
