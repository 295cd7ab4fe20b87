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

const uniqueEmail = () => `keep.${randomUUID().slice(0, 8)}@keepwell.example`;

/** Makes the open draft expire, then confirms: the page finds it gone. */
async function expireAndConfirm(page: Page, id: string) {
  await sql(`UPDATE "DraftContact" SET "expiresAt" = now() - interval '1 minute' WHERE "id" = $1`, [id]);
  await page.getByRole("button", { name: "Confirm contact" }).click();
  await expect(page.getByTestId("draft-gone")).toContainText("This draft is no longer here");
}

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
  // An address no earlier run left on a contact: the page looks for an existing contact like this one first.
  await page.getByLabel("Email").fill(uniqueEmail());
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

test("a gone draft's tag line longer than one tag may be: one tag between each comma, not one refused tag", async ({ page, signIn }) => {
  await signIn("rep");
  const name = `Tomas ${word()}`;
  const id = await newDraft(page, name);
  await openDraft(page, id);
  await page.getByLabel("Email").fill(uniqueEmail());
  // 42 characters: refused as a single tag (at most 40).
  await page.getByLabel("Tags").fill("web-summit-2026, vip, booth b12, follow-up");
  await expireAndConfirm(page, id);
  await page.getByTestId("draft-gone").getByRole("button", { name: "Create the contact from what you typed" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  const tags = page.getByTestId("tags");
  for (const t of ["web-summit-2026", "vip", "booth b12", "follow-up"]) await expect(tags.getByRole("button", { name: `Remove tag ${t}`, exact: true })).toBeVisible();
  await expect(tags.getByRole("button", { name: /^Remove tag / })).toHaveCount(4);
  await trpc(page, "contacts.delete", { id: page.url().split("/").pop()! });
  await sql(`DELETE FROM "DraftContact" WHERE "id" = $1`, [id]);
});

test("a gone draft whose contact already exists (confirmed on another device): that contact is offered, then Create anyway", async ({ page, signIn }) => {
  await signIn("rep");
  const name = `Ines ${word()}`;
  const email = uniqueEmail();
  const existing = await trpc<{ id: string }>(page, "contacts.create", { fullName: name, email, tags: [] });
  const id = await newDraft(page, name);
  await openDraft(page, id);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Notes").fill("Call back after the show");
  await expireAndConfirm(page, id);
  const gone = page.getByTestId("draft-gone");
  await gone.getByRole("button", { name: "Create the contact from what you typed" }).click();
  const dups = page.getByTestId("draft-gone-duplicates");
  await expect(dups).toContainText("A contact like this already exists");
  await expect(dups.getByRole("link", { name: `Open ${name}` })).toHaveAttribute("href", `/contacts/${existing.id}`);
  await expect(page.getByTestId("draft-gone-note")).toHaveText("Call back after the show");
  // Nothing was created on the way.
  expect(await sql(`SELECT 1 FROM "Contact" WHERE "emailNormalized" = $1`, [email])).toHaveLength(1);
  await dups.getByRole("button", { name: "Create anyway" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  const created = page.url().split("/").pop()!;
  expect(created).not.toBe(existing.id);
  await expect(page.getByLabel("Notes")).toHaveValue("Call back after the show");
  for (const c of [created, existing.id]) await trpc(page, "contacts.delete", { id: c });
  await sql(`DELETE FROM "DraftContact" WHERE "id" = $1`, [id]);
});

test("a draft that cannot be loaded (no connection, a 5xx) is not called gone: Try again loads it, with the kept edits", async ({ page, signIn }) => {
  await signIn("rep");
  const name = `Pavel ${word()}`;
  const id = await newDraft(page, name);
  await openDraft(page, id);
  await page.getByLabel("Notes").fill("Wants the price list");
  await expect.poll(() => page.evaluate((key) => sessionStorage.getItem(key), `sales-agent:draft-edits:${id}`)).not.toBeNull();
  const draftsGet = /\/api\/trpc\/[^?]*drafts\.get/;
  await page.route(draftsGet, (route) => route.abort("connectionreset"));
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const failed = page.getByTestId("draft-load-error");
  await expect(failed).toContainText("The draft could not be loaded");
  await expect(page.getByTestId("draft-gone")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create the contact from what you typed" })).toHaveCount(0);

  // A 503 with the server's words: the same, its message shown.
  await page.unroute(draftsGet);
  await page.route(draftsGet, (route) =>
    route.fulfill({ status: 503, json: [{ error: { json: { message: "The database is not answering", code: -32603, data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 503 } } } }] }),
  );
  await failed.getByRole("button", { name: "Try again" }).click();
  await expect(failed.getByRole("alert")).toHaveText("The database is not answering");
  await expect(page.getByTestId("draft-gone")).toHaveCount(0);

  await page.unroute(draftsGet);
  await failed.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("button", { name: "Confirm contact" })).toBeEnabled();
  await expect(page.getByTestId("edits-restored")).toBeVisible();
  await expect(page.getByLabel("Notes")).toHaveValue("Wants the price list");
  await trpc(page, "drafts.discard", { id });
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
