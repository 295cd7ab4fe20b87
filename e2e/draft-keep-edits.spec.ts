// What a rep types on a draft is not lost: a reload brings back unsaved edits (a phone browser discards and reloads
// background tabs), a draft that expired while its page was open still lets the rep make the contact from what they
// typed, and a confirm without a connection says it waits instead of silently greying out.
import { randomUUID } from "node:crypto";
import { test, expect, sql, trpc } from "./fixtures";
import type { Page } from "@playwright/test";

/** A surname-like word, so the pasted text reads as a person's name. */
const word = () => {
  const w = randomUUID().replace(/[^a-f]/g, "").slice(0, 6).padEnd(5, "e");
  return w[0].toUpperCase() + w.slice(1);
};

async function newDraft(page: Page, name: string) {
  const { draftId } = await trpc<{ draftId: string }>(page, "drafts.fromText", { text: `${name}\nHead of Sales, Keepwell Ltd\n${name.split(" ")[0].toLowerCase()}@keepwell.example` });
  return draftId;
}

async function openDraft(page: Page, id: string) {
  await page.goto(`/drafts/${id}`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("button", { name: "Confirm contact" })).toBeEnabled();
}

test.describe.configure({ mode: "serial" });

test("a reload brings back what was typed and not saved; once saved, nothing is restored", async ({ page, signIn }) => {
  await signIn("rep");
  const name = `Kathe ${word()}`;
  const id = await newDraft(page, name);
  await openDraft(page, id);
  await page.getByLabel("Name", { exact: true }).fill(`Käthe ${name.slice(6)}`);
  await page.getByLabel("Notes").fill("Met at booth B12, wants a demo next week");
  await page.reload();
  await expect(page.getByTestId("edits-restored")).toContainText("What you typed before the page reloaded is back. It is not saved yet");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`Käthe ${name.slice(6)}`);
  await expect(page.getByLabel("Notes")).toHaveValue("Met at booth B12, wants a demo next week");

  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("edits-restored")).toHaveCount(0);
  await expect.poll(() => page.evaluate((key) => sessionStorage.getItem(key), `sales-agent:draft-edits:${id}`)).toBeNull();
  await page.reload();
  await expect(page.getByLabel("Notes")).toHaveValue("Met at booth B12, wants a demo next week");
  await expect(page.getByTestId("edits-restored")).toHaveCount(0);
  await trpc(page, "drafts.discard", { id });
});

test("a draft that expired while its page was open: the contact is made from what the rep typed", async ({ page, signIn }) => {
  await signIn("rep");
  const name = `Erika ${word()}`;
  const id = await newDraft(page, name);
  await openDraft(page, id);
  await page.getByLabel("Title").fill("VP Sales");
  await page.getByLabel("Notes").fill("Budget approved for Q3");
  await sql(`UPDATE "DraftContact" SET "expiresAt" = now() - interval '1 minute' WHERE "id" = $1`, [id]);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  const gone = page.getByTestId("draft-gone");
  await expect(gone).toContainText("This draft is no longer here");
  await expect(gone).toContainText(`What you typed on it is kept: ${name} with your note.`);
  await gone.getByRole("button", { name: "Create the contact from what you typed" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Title")).toHaveValue("VP Sales");
  await expect(page.getByLabel("Notes")).toHaveValue("Budget approved for Q3");
  const contactId = page.url().split("/").pop()!;
  await trpc(page, "contacts.delete", { id: contactId });
  await sql(`DELETE FROM "DraftContact" WHERE "id" = $1`, [id]);
});

test("a confirm without a connection says it waits, and goes through once the connection is back", async ({ page, signIn, context }) => {
  await signIn("rep");
  const name = `Olga ${word()}`;
  const id = await newDraft(page, name);
  await openDraft(page, id);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page.getByTestId("review-offline")).toHaveText("You are offline. This is sent when the connection is back: keep this page open. What you typed is kept on this page.");
  await expect(page.getByRole("button", { name: "Waiting for connection…" })).toBeDisabled();
  await context.setOffline(false);
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$|\/drafts\//);
  await expect.poll(async () => (await sql(`SELECT 1 FROM "DraftContact" WHERE "id" = $1`, [id])).length, { timeout: 15_000 }).toBe(0);
  const [c] = await sql<{ id: string }>(`SELECT "id" FROM "Contact" WHERE "fullName" = $1`, [name]);
  expect(c).toBeTruthy();
  await trpc(page, "contacts.delete", { id: c.id });
});
