// Stored XSS: markup in contact fields, pasted text (the OCR path's parser) and template
// output stays inert text in a real browser, in the UI and in the email preview.
import { test, expect, trpc } from "./fixtures";
import type { Page } from "@playwright/test";

const EVIL_NAME = `<img src=x onerror="window.__xss='name'">Mallory Evil`;
const EVIL_NOTES = `<script>window.__xss='notes'</script> javascript:alert(1)`;

async function assertInert(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
}

test("markup in contact fields and pasted text renders as text, and never runs", async ({ page, signIn }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signIn("rep");
  const contact = await trpc<{ id: string }>(page, "contacts.create", { fullName: EVIL_NAME, company: `<b onmouseover="window.__xss='co'">Evil Co</b>`, notes: EVIL_NOTES, website: "javascript:window.__xss='web'", linkedinUrl: "data:text/html,<script>alert(1)</script>", phone: "+44 20 7946 0123" });

  await page.goto(`/contacts?search=${encodeURIComponent("Mallory Evil")}`);
  await expect(page.getByText(EVIL_NAME).first()).toBeVisible();
  await page.goto(`/contacts/${contact.id}`);
  await expect(page.getByText("Mallory Evil").first()).toBeVisible();
  await page.mouse.move(10, 10);
  await assertInert(page);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  // Tap-to-act links are made only from values that are what they claim: the phone gets a
  // tel: link; the javascript: "website" and the data: "LinkedIn URL" get none.
  const actions = page.getByTestId("quick-actions");
  await expect(actions.getByRole("link", { name: "Call +44 20 7946 0123" })).toHaveAttribute("href", "tel:+442079460123");
  await expect(actions.getByRole("link")).toHaveCount(1);
  expect(await page.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0);

  // Pasted text goes through the same parser as OCR output.
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `<script>window.__xss='draft'</script>\nJohn <img src=x onerror=alert(1)> Smith\nSales Director\njohn.smith@evil-example.com` });
  await page.goto(`/drafts/${draftId}`);
  await expect(page.getByTestId("raw-text")).toContainText("<script>window.__xss='draft'</script>");
  await assertInert(page);
  expect(dialogs).toEqual([]);
});

test("merge tags in an email are escaped, and the preview cannot run scripts", async ({ page, signIn }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signIn("admin");
  const contact = await trpc<{ id: string }>(page, "contacts.create", { fullName: EVIL_NAME, email: `mallory.${Date.now()}@example.com` });
  const preview = await trpc<{ html: string; text: string }>(page, "campaigns.preview", { subject: "Hi {{firstName}}", html: "<p>Hello {{firstName}}, from {{company}}</p>", text: "Hello {{firstName}}", contactId: contact.id }, "GET");
  expect(preview.html).not.toContain("<img src=x");
  expect(preview.html).toContain("&lt;img");

  // The editor shows the preview in a sandboxed iframe: even raw markup cannot run there.
  await page.goto("/campaigns/new");
  const frame = page.locator('iframe[title="Email preview"]');
  await expect(frame).toHaveAttribute("sandbox", "");
  await assertInert(page);
  expect(dialogs).toEqual([]);
});
