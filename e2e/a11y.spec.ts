// Accessibility: axe-core (the engine behind Lighthouse's and browsers' checks) on every main
// page, as a rep and as an admin, on a desktop and a phone viewport. Fails on any violation
// axe rates serious or critical (missing labels and names, contrast, invalid ARIA …).
import AxeBuilder from "@axe-core/playwright";
import { test, expect, trpc, sql } from "./fixtures";
import type { Page } from "@playwright/test";
import { deleteScans, insertScans, openScanPageWith } from "./scan-rows";

async function violations(page: Page) {
  // The page's own content once loaded (queries answered), not a loading state.
  await page.waitForLoadState("networkidle");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`);
}

const REP_PAGES = ["/", "/scan", "/drafts", "/contacts", "/contacts/import", "/contacts/duplicates", "/profile"];
const ADMIN_PAGES = ["/campaigns", "/campaigns/new", "/admin", "/admin/queues", "/admin/integrations", "/admin/audit"];

test("the sign-in page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/login");
  expect(await violations(page)).toEqual([]);
});

for (const viewport of [{ name: "desktop", width: 1280, height: 800 }, { name: "phone", width: 390, height: 844 }]) {
  test(`a rep's pages have no serious accessibility violations (${viewport.name})`, async ({ page, signIn }) => {
    await page.setViewportSize(viewport);
    await signIn("rep");
    // Pages about one object too: a contact, and a draft beside its text.
    // With other numbers, so their rows (type, number, Remove) are checked too.
    const contact = await trpc<{ id: string }>(page, "contacts.create", { fullName: "Axe Reviewer", company: "Contrast Ltd", email: "axe@contrast.example", phone: "+442079460123", otherPhones: [{ type: "mobile", number: "+447700900123" }, { type: "fax", number: "+442079460124" }] });
    const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: "Jane Cooper\nHead of Partnerships, Northwind Ltd\n+44 20 7946 0123\njane@northwind.example" });
    const found: string[] = [];
    for (const path of [...REP_PAGES, `/contacts/${contact.id}`, `/drafts/${draftId}`]) {
      await page.goto(path);
      for (const v of await violations(page)) found.push(`${path}: ${v}`);
    }
    expect(found).toEqual([]);
  });

  test(`an admin's pages have no serious accessibility violations (${viewport.name})`, async ({ page, signIn }) => {
    await page.setViewportSize(viewport);
    await signIn("admin");
    const campaign = await trpc<{ id: string }>(page, "campaigns.create", {
      name: "Axe check", fromName: "Sales", fromEmail: "sales@example.com", subject: "Hello {{firstName}}",
      html: "<p>Hi {{firstName}}</p><p><a href=\"{{unsubscribeUrl}}\">Unsubscribe</a></p>", text: "Hi {{firstName}}\n{{unsubscribeUrl}}", audience: { kind: "all" },
    });
    const found: string[] = [];
    for (const path of [...ADMIN_PAGES, `/campaigns/${campaign.id}`]) {
      await page.goto(path);
      for (const v of await violations(page)) found.push(`${path}: ${v}`);
    }
    expect(found).toEqual([]);
  });
}

// A6: past the header's 7–9 links in one keystroke.
test("a 'Skip to content' link is the first thing Tab reaches, shows when focused, and moves focus to the page's content", async ({ page, signIn }) => {
  await signIn("admin");
  for (const path of ["/contacts", "/admin"]) {
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    const skip = page.getByRole("link", { name: "Skip to content" });
    // Not shown until focused (sr-only: a 1 px box).
    expect((await skip.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
    await page.keyboard.press("Tab");
    await expect(skip).toBeFocused();
    const box = (await skip.boundingBox())!;
    expect(box.width).toBeGreaterThan(50);
    expect(box.height).toBeGreaterThan(20);
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();
    // The next Tab lands inside the page's content, not on the header's links.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest("main") && document.activeElement !== document.querySelector("main"))).toBe(true);
  }
});

// A3: an sr-only table header escaped its scroll box (ScrollX, now `relative`) and widened /admin.
test("no admin page scrolls sideways on a 390 px phone", async ({ page, signIn }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn("admin");
  const wide: string[] = [];
  for (const path of [...ADMIN_PAGES, "/contacts", "/contacts/duplicates"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) wide.push(`${path}: ${width}`);
  }
  expect(wide).toEqual([]);
});

// A1: the scan page's progress reaches screen readers.
test("the scan page announces its batch, names its progress bars, and puts upload problems in an alert", async ({ page, signIn }) => {
  await signIn("rep");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  // The live regions are in the page before they have anything to say.
  const summary = page.getByTestId("scan-summary");
  await expect(summary).toHaveAttribute("role", "status");
  await expect(summary).toHaveAttribute("aria-live", "polite");
  await expect(summary).toBeEmpty();
  const uploading = page.getByTestId("upload-status");
  await expect(uploading).toHaveAttribute("role", "status");
  await expect(uploading).toBeEmpty();
  const problems = page.getByTestId("upload-errors-region");
  await expect(problems).toHaveAttribute("role", "alert");
  await expect(problems).toBeEmpty();

  // Too many files: refused in the browser, in the alert.
  const tiny = (name: string) => ({ name, mimeType: "image/jpeg", buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) });
  await page.getByTestId("file-input").setInputFiles(Array.from({ length: 51 }, (_, i) => tiny(`c${i}.jpg`)));
  await expect(problems).toContainText("51 files: At most 50 cards per batch");

  // An upload on its way fills the status region that was already there; the server's refusal lands in the alert.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/api/cards", async (route) => {
    await held;
    await route.fulfill({ status: 422, json: { error: { code: "VALIDATION", message: "No file was accepted", files: [{ fileName: "empty.jpg", message: "The file is empty." }] } } });
  });
  await page.getByTestId("file-input").setInputFiles([tiny("empty.jpg")]);
  await expect(uploading).toHaveText("Uploading…");
  release();
  await expect(uploading).toBeEmpty();
  await expect(problems).toHaveText("empty.jpg: The file is empty.");
  await page.unroute("**/api/cards");

  // A card mid-read and one that failed: the batch line says both, and the bar is a named progressbar.
  const ids = await insertScans("rep@example.com", [
    { status: "PROCESSING", fileName: "a11y-reading.jpg", phase: "ocr", progress: 40 },
    { status: "FAILED", fileName: "a11y-failed.jpg", phase: "failed", progress: 100, error: "Image could not be decoded (truncated or corrupt)" },
  ]);
  try {
    await openScanPageWith(page, ids);
    await expect(summary).toHaveText("0 of 2 ready · 1 failed");
    const bar = page.getByRole("progressbar", { name: "a11y-reading.jpg" });
    await expect(bar).toHaveAttribute("aria-valuenow", "40");
    await expect(bar).toHaveAttribute("aria-valuemin", "0");
    await expect(bar).toHaveAttribute("aria-valuemax", "100");
    await expect(bar).toHaveAttribute("aria-valuetext", "Reading text, 40%");
    await expect(page.getByRole("progressbar")).toHaveCount(1); // the failed row has none
    // The page with rows in it is still clean for axe.
    expect(await violations(page)).toEqual([]);
    // A change of the batch is a change of that one region's text.
    await sql(`UPDATE "CardScan" SET "status" = 'FAILED', "phase" = 'failed', "progress" = 100, "finishedAt" = now() WHERE "id" = $1`, [ids[0]]);
    await expect(summary).toHaveText("0 of 2 ready · 2 failed");
  } finally {
    await deleteScans(ids);
  }
});
