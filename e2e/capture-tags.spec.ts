// Tags and a note at capture: the scan page's "Tags for these cards" go with the upload, the
// worker puts them on the draft, the rep adds a note there, and confirm puts both on the contact.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { test, expect } from "./fixtures";

// A committed bench photo with a few random bytes after its end marker: decoders ignore them,
// but the sha256 differs, so no earlier scan of the same photo (another spec's) is returned.
const uniqueCard = () => Buffer.concat([fs.readFileSync(path.resolve(__dirname, "../bench/ocr-cards/own-03.jpg")), randomBytes(16)]);

test.describe.configure({ mode: "serial" });

test("batch tags on the scan page reach the draft; the rep adds a note; the contact shows both", async ({ page, signIn }) => {
  test.setTimeout(240_000);
  await signIn("rep");
  await page.goto("/scan");
  const box = page.getByLabel(/Tags for these cards/);
  await box.fill("Web-Summit-2026, VIP, vip");
  await expect(page.getByText("Every card you upload or paste in this tab gets:")).toBeVisible();
  // Kept in this tab across a reload (a phone browser that discarded the tab while the camera was open).
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(box).toHaveValue("Web-Summit-2026, VIP, vip");

  await page.getByTestId("file-input").setInputFiles({ name: "tagged-card.jpg", mimeType: "image/jpeg", buffer: uniqueCard() });
  const row = page.getByTestId("scan-row").filter({ hasText: "tagged-card.jpg" });
  await expect(row).toHaveAttribute("data-status", "DONE", { timeout: 180_000 });
  await row.getByRole("link", { name: "Review draft →" }).click();

  await expect(page.getByLabel("Tags")).toHaveValue("web-summit-2026, vip");
  const stamp = Date.now();
  // A unique person, so no contact from an earlier run is a likely duplicate.
  await page.getByLabel("Name").fill(`Tagged Person ${stamp}`);
  await page.getByLabel("Email").fill(`tagged.${stamp}@example.com`);
  await page.getByLabel("Phone").fill("");
  await page.getByLabel("Tags").fill("web-summit-2026, vip, Demo 🚀");
  await page.getByLabel("Notes").fill("Met at booth B12, wants a demo <script>alert(1)</script>");
  await page.getByRole("button", { name: "Confirm contact" }).click();

  // With other drafts waiting the next one opens, linking to the contact; else the contact opens.
  const notice = page.getByTestId("review-notice");
  await expect(notice.or(page.getByTestId("contact-name"))).toBeVisible();
  if (await notice.isVisible()) await notice.getByRole("link", { name: "Open the contact" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("contact-name")).toHaveText(`Tagged Person ${stamp}`);
  const tags = page.getByTestId("tags");
  // Each tag is a chip holding its text and its remove button (so the chip's text is not the tag alone).
  for (const t of ["web-summit-2026", "vip", "demo 🚀"]) await expect(tags.getByRole("button", { name: `Remove tag ${t}`, exact: true })).toBeVisible();
  await expect(tags.getByRole("button", { name: /^Remove tag / })).toHaveCount(3);
  await expect(page.getByLabel("Notes")).toHaveValue(/^Met at booth B12, wants a demo <script>alert\(1\)<\/script>/);
});

test("bad batch tags: marked on the tags box, and no card is uploaded", async ({ page, signIn }) => {
  await signIn("rep");
  await page.goto("/scan");
  const before = await page.getByTestId("scan-row").count();
  await page.getByLabel(/Tags for these cards/).fill(Array.from({ length: 31 }, (_, i) => `t${i}`).join(", "));
  await page.getByTestId("file-input").setInputFiles({ name: "too-many-tags.jpg", mimeType: "image/jpeg", buffer: uniqueCard() });
  await expect(page.getByTestId("batch-tags-error")).toHaveText(/At most 30 tags; this has 31\. No card was uploaded/);
  await expect(page.getByLabel(/Tags for these cards/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("scan-row").filter({ hasText: "too-many-tags.jpg" })).toHaveCount(0);
  expect(await page.getByTestId("scan-row").count()).toBe(before);

  // The route itself: 422 naming the field.
  const res = await page.request.post("/api/cards", {
    multipart: { tags: "x".repeat(10_000), files: { name: "long-tag.jpg", mimeType: "image/jpeg", buffer: uniqueCard() } },
  });
  expect(res.status()).toBe(422);
  const body = await res.json();
  expect(body.error.message).toMatch(/^tags: The tag "x+…" is longer than 40 characters \(10,000\)$/);
  expect(body.error.details.fieldErrors.tags).toHaveLength(1);
  // Leave the tab clean for other tests of this browser context.
  await page.getByLabel(/Tags for these cards/).fill("");
});
