// Card capture end to end: upload → worker OCR → live progress → review → contact.
import path from "node:path";
import { test, expect, sql, trpc, USERS } from "./fixtures";
import { deleteScans, insertScans, openScanPageWith } from "./scan-rows";
import { countWorkerPolls, isWorkerStatus, seeWorkerOffline } from "./worker-offline";
import type { APIRequestContext, Page } from "@playwright/test";

// Photos committed with the repo (the shared fixtures are not needed by the product).
const CARD = (n: number) => path.resolve(__dirname, `../bench/ocr-cards/own-0${n}.jpg`);

async function waitForScansDone(page: Page, count: number) {
  await expect(page.getByTestId("scan-row")).toHaveCount(count, { timeout: 30_000 });
  await expect(page.locator('[data-testid="scan-row"][data-status="DONE"]')).toHaveCount(count, { timeout: 150_000 });
}

async function signInApi(request: APIRequestContext, who: keyof typeof USERS) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/credentials", { form: { ...USERS[who], csrfToken, json: "true" } });
  expect(res.status()).toBe(200);
}

test.describe.configure({ mode: "serial" });

test("a rep uploads two cards and watches them become drafts", async ({ page, signIn }) => {
  test.setTimeout(180_000);
  await signIn("rep");
  await page.getByRole("link", { name: "Scan", exact: true }).click();
  await page.getByTestId("file-input").setInputFiles([CARD(1), CARD(2)]);
  await expect(page.getByTestId("scan-summary")).toBeVisible();
  await waitForScansDone(page, 2);
  await expect(page.getByTestId("scan-summary")).toHaveText("2 of 2 ready");
  await expect(page.getByRole("link", { name: "Review draft →" })).toHaveCount(2);
  // Each finished row says whose card it was (name · company as read), the file name below it.
  // own-01's name and company are read exactly (bench/ocr.json); own-02's name is not
  // (its "Đ"), its company is.
  const row = (file: string) => page.getByTestId("scan-row").filter({ hasText: file });
  await expect(row("own-01.jpg").getByTestId("scan-who")).toHaveText("Margaret Ellison · Brightwater Analytics Inc.");
  await expect(row("own-02.jpg").getByTestId("scan-who")).toContainText(" · Công ty Cổ phần Công nghệ Hòa Bình");
  // A phone browser that discards the tab and reloads it keeps the batch's list.
  await page.reload();
  await expect(page.getByTestId("scan-summary")).toHaveText("2 of 2 ready");
  await expect(row("own-01.jpg").getByTestId("scan-who")).toHaveText("Margaret Ellison · Brightwater Analytics Inc.");
});

test("the scan page ignores a kept batch list that is not a list of the rep's scans", async ({ page, signIn }) => {
  await signIn("rep");
  const keep = (v: string) => page.evaluate((value) => sessionStorage.setItem("sales-agent:scan-batch", value), v);
  for (const stored of ['{"not":"a list"}', "not json at all", JSON.stringify(["not-a-uuid", 42])]) {
    await keep(stored);
    await page.goto("/scan");
    await expect(page.getByTestId("drop-zone")).toBeVisible();
    // The batch line is a live region that is always there (docs/capture.md): empty, no rows.
    await expect(page.getByTestId("scan-summary")).toBeEmpty();
    await expect(page.getByTestId("scan-row")).toHaveCount(0);
  }
  // A well-formed id that is no scan of the rep's: asked about once, then no more polling.
  let polls = 0;
  page.on("request", (r) => { if (r.url().includes("/api/trpc/scans.list")) polls++; });
  await keep(JSON.stringify(["00000000-0000-4000-8000-000000000000"]));
  const answered = page.waitForResponse((r) => r.url().includes("/api/trpc/scans.list"));
  await page.goto("/scan");
  expect((await answered).status()).toBe(200);
  await expect(page.getByTestId("scan-summary")).toBeEmpty();
  await expect(page.getByTestId("scan-row")).toHaveCount(0);
  await page.waitForTimeout(2_500); // more than two poll intervals (1 s)
  expect(polls).toBe(1);
});

// A2: without a worker a card said "Queued" for ever. The heartbeat is polled only while a listed scan waits.
test("while no worker runs, the scan page says the waiting cards will be read when it is back; it stops asking once none waits", async ({ page, signIn }) => {
  await signIn("rep");
  const ids = await insertScans("rep@example.com", [
    { status: "QUEUED", fileName: "waiting-1.jpg" },
    { status: "PROCESSING", fileName: "waiting-2.jpg", phase: "ocr", progress: 30 },
    { status: "FAILED", fileName: "given-up.jpg", phase: "failed", progress: 100, error: "Not a readable image" },
  ]);
  try {
    // The live worker is online: no notice, though the heartbeat is read.
    const polled = page.waitForResponse((r) => isWorkerStatus(r.url()) && r.ok());
    await openScanPageWith(page, ids);
    await expect(page.getByTestId("scan-row")).toHaveCount(3);
    await polled;
    await expect(page.getByTestId("worker-offline")).toHaveCount(0);

    await seeWorkerOffline(page);
    await page.reload();
    const notice = page.getByTestId("worker-offline");
    await expect(notice).toHaveAttribute("role", "alert");
    await expect(notice).toHaveText(/^The card reader \(worker\) is offline \(last seen \d{1,2}:\d{2}.*\): the 2 cards still waiting will be read when it is back\. Nothing is lost; you can leave this page\.$/);
    await expect(page.getByTestId("scan-row").filter({ hasText: "waiting-1.jpg" }).getByTestId("scan-phase")).toHaveText("Queued");

    // One card finishes: the count follows. Then none waits: the notice goes and the heartbeat is no longer polled.
    await sql(`UPDATE "CardScan" SET "status" = 'FAILED', "phase" = 'failed', "progress" = 100, "finishedAt" = now() WHERE "id" = $1`, [ids[1]]);
    await expect(notice).toContainText("the card still waiting will be read when it is back");
    await sql(`UPDATE "CardScan" SET "status" = 'FAILED', "phase" = 'failed', "progress" = 100, "finishedAt" = now() WHERE "id" = $1`, [ids[0]]);
    await expect(page.getByTestId("scan-summary")).toHaveText("0 of 3 ready · 3 failed");
    await expect(notice).toHaveCount(0);
    const polls = countWorkerPolls(page);
    await page.waitForTimeout(7_000); // longer than the 5 s heartbeat poll
    expect(polls.n).toBe(0);
  } finally {
    await deleteScans(ids);
  }
});

test("the dashboard counts the rep's drafts waiting for review and leads to them", async ({ page, signIn }) => {
  await signIn("rep");
  const res = await page.request.get("/api/trpc/drafts.list");
  const waiting = ((await res.json()).result.data.json as unknown[]).length;
  expect(waiting).toBeGreaterThanOrEqual(2); // the two cards above
  await expect(page.getByTestId("dash-drafts-count")).toHaveText(String(waiting));
  await expect(page.getByTestId("dash-drafts").getByTestId("expires-in")).toHaveText(/\d+ h \d+ min left/);
  await page.getByRole("link", { name: "Review drafts" }).click();
  await expect(page).toHaveURL(/\/drafts$/);
  await expect(page.getByTestId("draft-card")).toHaveCount(waiting);
});

test("the rep corrects a field beside the photo and confirms: the contact appears", async ({ page, signIn }) => {
  await signIn("rep");
  await page.goto("/drafts");
  await page.getByTestId("draft-card").first().click();
  await expect(page.getByTestId("draft-photo")).toBeVisible();
  const name = page.getByLabel("Name");
  await expect(name).toBeVisible();
  const stamp = Date.now();
  await name.fill(`Corrected Person ${stamp}`);
  await page.getByLabel("Email").fill(`corrected.${stamp}@example.com`);
  await page.getByLabel("Phone").fill("");
  await page.getByRole("button", { name: "Confirm contact" }).click();
  // The other card of the batch is still waiting, so it opens next, saying what was saved
  // and linking to the new contact.
  const notice = page.getByTestId("review-notice");
  await expect(notice).toContainText(new RegExp(`^Saved Corrected Person ${stamp} — \\d+ left\\.`));
  await notice.getByRole("link", { name: "Open the contact" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByText(`Corrected Person ${stamp}`).first()).toBeVisible();
});

test("on a phone, the focused field shows where on the card it was read, right under it", async ({ page, signIn }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn("rep");
  await page.goto("/drafts");
  // The card of the batch still waiting (a photo draft: its list entry has a thumbnail).
  await page.getByTestId("draft-card").filter({ has: page.locator("img") }).first().click();
  await expect(page.getByTestId("draft-photo")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const crop = page.getByTestId("field-crop");
  await expect(crop).toHaveCount(0);
  // Not every field has word boxes (a value from a QR code has none): the first that has.
  let checked = "";
  for (const label of ["Name", "Email", "Company", "Phone"]) {
    const input = page.getByLabel(label);
    await input.focus();
    if (!(await page.getByTestId("box-lit").count())) continue;
    await expect(crop).toBeVisible();
    await expect.poll(() => crop.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const field = (await input.boundingBox())!;
    const box = (await crop.boundingBox())!;
    expect(box.y).toBeGreaterThan(field.y); // under the field: focusing never moves the field itself
    expect(box.height).toBeLessThanOrEqual(73);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    // The photo itself is far above, out of view.
    expect((await page.getByTestId("draft-photo").boundingBox())!.y + 10).toBeLessThan(box.y);
    checked = label;
    break;
  }
  expect(checked, "a field with word boxes").not.toBe("");
  await page.getByLabel(checked).blur();
  await expect(crop).toHaveCount(0);
  // On a wide screen the photo sits beside the form with its own lit boxes: no crop.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel(checked).focus();
  await expect(page.getByTestId("box-lit").first()).toBeAttached();
  await expect(crop).toBeHidden();
});

test("a second card merged into a contact: its scan row opens the contact, whose page shows both photos", async ({ page, signIn }) => {
  test.setTimeout(180_000);
  await signIn("rep");
  await page.goto("/scan");
  await page.getByTestId("file-input").setInputFiles([CARD(4), CARD(5)]);
  await waitForScansDone(page, 2);
  const row = (file: string) => page.getByTestId("scan-row").filter({ hasText: file });
  const draftOf = async (file: string) => (await row(file).getByRole("link", { name: "Review draft →" }).getAttribute("href"))!.split("/").pop()!;
  const [first, second] = [await draftOf("own-04.jpg"), await draftOf("own-05.jpg")];
  const who = `Twice Scanned ${Date.now()}`;
  const blank = { title: null, company: null, email: null, phone: null, website: null, address: null };
  for (const id of [first, second]) await trpc(page, "drafts.update", { id, fields: { fullName: who, ...blank } });
  const { contactId } = await trpc<{ contactId: string }>(page, "drafts.confirm", { id: first, force: true });
  await trpc(page, "drafts.confirm", { id: second, mergeInto: contactId });

  // Before, the merged card's row said "Discarded" (the contact already showed the first photo).
  await page.reload();
  for (const file of ["own-04.jpg", "own-05.jpg"]) {
    await expect(row(file).getByRole("link", { name: "Open contact →" })).toHaveAttribute("href", `/contacts/${contactId}`);
  }
  await row("own-05.jpg").getByRole("link", { name: "Open contact →" }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${contactId}$`));
  const photos = [page.getByTestId("scan-photo").locator("img"), page.getByTestId("other-cards").locator("img")];
  for (const img of photos) {
    await expect(img).toHaveCount(1);
    // The browser decoded the served photo.
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  }
  await trpc(page, "contacts.delete", { id: contactId });
});

test("uploading the same image again creates no second scan", async ({ page, signIn }) => {
  test.setTimeout(150_000); // the wait for the worker at the end, on a loaded machine
  await signIn("rep");
  await page.goto("/scan");
  await page.getByTestId("file-input").setInputFiles([CARD(3)]);
  await expect(page.getByTestId("scan-row")).toHaveCount(1);
  await page.getByTestId("file-input").setInputFiles([CARD(3)]);
  await expect(page.getByTestId("upload-notice")).toContainText("already uploaded");
  await expect(page.getByTestId("scan-row")).toHaveCount(1);
  const res = await page.request.get("/api/trpc/scans.list");
  const scans = (await res.json()).result.data.json as { id: string; fileName: string }[];
  const mine = scans.filter((s) => s.fileName === "own-03.jpg");
  expect(mine).toHaveLength(1);
  // Leave nothing running: the worker is still reading this card, and its draft, appearing during a later spec
  // (draft-review counts and opens the rep's drafts), would change what that spec sees.
  const scanNow = async () => {
    const r = await page.request.get(`/api/trpc/scans.list?input=${encodeURIComponent(JSON.stringify({ json: { ids: [mine[0].id] } }))}`);
    return ((await r.json()).result.data.json as { status: string; draftId?: string }[])[0];
  };
  await expect.poll(async () => (await scanNow()).status, { timeout: 120_000 }).toMatch(/^(DONE|FAILED)$/);
  const { draftId } = await scanNow();
  if (draftId) await trpc(page, "drafts.discard", { id: draftId });
});

test("an expired draft disappears once the cleanup job runs", async ({ page, signIn, playwright, baseURL }) => {
  await signIn("rep");
  await page.goto("/scan");
  // Letters only: the parser does not take a line with digits for a name.
  const who = `Expiring ${Math.random().toString(36).replace(/[^a-z]/g, "").slice(0, 8).replace(/^./, (c) => c.toUpperCase())} Person`;
  await page.getByLabel("Pasted text").fill(`${who}\nSales Director\nAcme Widgets Ltd\nexpiring.${Date.now()}@acme-widgets.example`);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/drafts\/[0-9a-f-]{36}$/);
  const draftId = page.url().split("/").pop()!;
  await page.goto("/drafts");
  await expect(page.getByText(who)).toBeVisible();

  // Age the draft past its 24 hours, then run the cleanup as an admin would.
  await sql(`UPDATE "DraftContact" SET "expiresAt" = now() - interval '1 minute' WHERE id = $1`, [draftId]);
  const admin = await playwright.request.newContext({ baseURL });
  await signInApi(admin, "admin");
  const run = await admin.post("/api/trpc/system.runCleanup", { data: {} });
  expect(run.status()).toBe(200);
  await admin.dispose();

  await expect(async () => {
    expect(await sql(`SELECT 1 FROM "DraftContact" WHERE id = $1`, [draftId])).toHaveLength(0);
  }).toPass({ timeout: 30_000 });
  await page.reload();
  await expect(page.getByText(who)).toHaveCount(0);
});
