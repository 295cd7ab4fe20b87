// Accessibility: axe-core (the engine behind Lighthouse's and browsers' checks) on every main
// page, as a rep and as an admin, on a desktop and a phone viewport. Fails on any violation
// axe rates serious or critical (missing labels and names, contrast, invalid ARIA …).
import AxeBuilder from "@axe-core/playwright";
import { test, expect, trpc } from "./fixtures";
import type { Page } from "@playwright/test";

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
    const contact = await trpc<{ id: string }>(page, "contacts.create", { fullName: "Axe Reviewer", company: "Contrast Ltd", email: "axe@contrast.example", phone: "+442079460123" });
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
