// A rep's pages on a 390 px phone, as the event-floor QA found them: the drafts list with a long name stays within
// the screen, a card still being read shows its file name beside or above its bar (not "c…"), the scan list says
// why it stands still while the phone is offline, the review form asks the phone for the right keyboards and keeps
// the browser's own autofill out of a lead's fields, and the duplicate panel's prominent button is the merge.
import { randomUUID } from "node:crypto";
import { test, expect, trpc } from "./fixtures";
import { deleteScans, insertScans, openScanPageWith } from "./scan-rows";
import type { Page } from "@playwright/test";

const PHONE = { width: 390, height: 844 };
const pageWidth = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));

test.describe.configure({ mode: "serial" });

test("the drafts list stays within a phone's width with a 70-letter name and a 100-letter company", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  const long = `Maximiliane ${"Wolkenstein-Rodenegg".repeat(3)}`.slice(0, 70);
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `${long}\nGeschäftsführerin, ${"Donaudampfschifffahrtsgesellschaft".repeat(3)} GmbH\nmax.${randomUUID().slice(0, 6)}@example.de` });
  try {
    await page.goto("/drafts");
    await expect(page.getByTestId("draft-card").first()).toBeVisible();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  } finally {
    await trpc(page, "drafts.discard", { id: draftId });
  }
});

test("a card being read shows its file name on a phone, and the list says when it stands still offline", async ({ page, signIn, context }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  const ids = await insertScans("rep@example.com", [{ status: "PROCESSING", fileName: "IMG_20261205_101500.jpg", phase: "ocr", progress: 40 }]);
  try {
    await openScanPageWith(page, ids);
    const name = page.getByTestId("scan-row").getByText("IMG_20261205_101500.jpg");
    await expect(name).toBeVisible();
    // Not cut to a letter or two: the whole name fits at this width.
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.clientWidth > 120)).toBe(true);
    await expect(page.getByTestId("scan-progress")).toBeVisible();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    await context.setOffline(true);
    await expect(page.getByTestId("scans-offline")).toHaveText("You are offline: this list updates when the connection is back. The cards already sent are being read on the server.");
    await context.setOffline(false);
    await expect(page.getByTestId("scans-offline")).toHaveCount(0);
  } finally {
    await deleteScans(ids);
  }
});

test("the review form: 16 px fields (no zoom on iPhone), a URL keyboard for the website, no autofill of the rep's own details", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `Ines Navarro\nBuyer, Lumen Foods\nines.${randomUUID().slice(0, 6)}@lumen.example\nlumen.example` });
  try {
    await page.goto(`/drafts/${draftId}`);
    const name = page.getByLabel("Name", { exact: true });
    await expect(name).toBeVisible();
    expect(await name.evaluate((el) => getComputedStyle(el).fontSize)).toBe("16px");
    expect(await page.getByLabel("Notes").evaluate((el) => getComputedStyle(el).fontSize)).toBe("16px");
    await expect(page.getByLabel("Website")).toHaveAttribute("inputmode", "url");
    await expect(page.getByLabel("Email")).toHaveAttribute("type", "email");
    await expect(page.getByLabel("Phone")).toHaveAttribute("type", "tel");
    for (const label of ["Name", "Email", "Phone", "Address"]) await expect(page.getByLabel(label, { exact: true })).toHaveAttribute("autocomplete", "off");
    await expect(name).toHaveAttribute("autocapitalize", "words");
  } finally {
    await trpc(page, "drafts.discard", { id: draftId });
  }
});

test("on a duplicate, the prominent button merges; creating a second contact is the plain one", async ({ page, signIn }) => {
  await signIn("rep");
  const email = `dup.${randomUUID().slice(0, 8)}@example.com`;
  const existing = await trpc<{ id: string }>(page, "contacts.create", { fullName: "Nathan Park", company: "Parkway Labs", email });
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `Nathan Park\nCTO, Parkway Labs\n${email}` });
  try {
    await page.goto(`/drafts/${draftId}`);
    await page.getByRole("button", { name: "Confirm contact" }).click();
    const panel = page.getByTestId("conflict-panel");
    await expect(panel.getByRole("button", { name: "Merge into this contact" })).toHaveClass(/btn-primary/);
    await expect(panel.getByRole("button", { name: "Create anyway" })).toHaveClass(/btn-secondary/);
  } finally {
    await trpc(page, "drafts.discard", { id: draftId });
    await trpc(page, "contacts.delete", { id: existing.id });
  }
});

test("on a phone, a contact's Call, Email and Save to phone buttons are 44 px tap targets", async ({ page, signIn }) => {
  await page.setViewportSize(PHONE);
  await signIn("rep");
  const c = await trpc<{ id: string }>(page, "contacts.create", { fullName: `Tap Target ${randomUUID().slice(0, 6)}`, email: `tap-${randomUUID().slice(0, 8)}@example.com`, phone: "+1 212 555 0100 ext. 204" });
  try {
    await page.goto(`/contacts/${c.id}`);
    const actions = page.getByTestId("quick-actions");
    await expect(actions.getByRole("link", { name: "Call +1 212 555 0100 ext. 204" })).toHaveAttribute("href", "tel:+12125550100,204");
    for (const link of [actions.getByRole("link", { name: /^Call / }), actions.getByRole("link", { name: "Email" }), page.getByTestId("save-vcard")]) {
      const box = await link.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
    }
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  } finally {
    await trpc(page, "contacts.delete", { id: c.id });
  }
});
