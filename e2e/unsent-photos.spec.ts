// Photos that did not get through are kept in the browser's IndexedDB (app/(app)/scan/unsent-store.ts), per user:
// a reload, a new tab or a closed browser finds them again and sends them with the tags they were taken with; they
// leave the store only once the server has answered for them. "No connection" is `context.route` aborting
// /api/cards: for every page of the context, so a new tab meets it too (`setOffline` cannot reload a page).
// Runs as the admin with generated images, so the rep's drafts (draft-review.spec) are untouched; every scan made
// here is read by the worker and its draft discarded before the test ends.
import { test, expect, sql, trpc, signIn as signInAs } from "./fixtures";
import type { BrowserContext, Page } from "@playwright/test";
import { finish, noise, unique } from "./scan-helpers";

const tagsOf = async (fileNames: string[]) =>
  Object.fromEntries((await sql<{ fileName: string; tags: string[] }>(`SELECT "fileName", "tags" FROM "CardScan" WHERE "fileName" = ANY($1)`, [fileNames])).map((r) => [r.fileName, r.tags]));

const userId = async (email: string) => (await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]))[0].id;

/**
 * What the browser's store holds, read with IndexedDB itself. Only once the page has opened the store
 * (`data-unsent-store="ready"`): opening the database first, without its version, would create it empty.
 */
async function stored(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ name: string; userId: string; tags: string; tagsRefused: boolean }[]>((resolve, reject) => {
        const open = indexedDB.open("sales-agent-unsent");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction("photos").objectStore("photos").getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            const rows = all.result as { name: string; userId: string; tags: string; tagsRefused: boolean; takenAt: number }[];
            resolve(rows.sort((a, b) => a.name.localeCompare(b.name)).map(({ name, userId, tags, tagsRefused }) => ({ name, userId, tags, tagsRefused })));
          };
        };
      }),
  );
}

/** Opens /scan and waits until the page has read this user's stored photos. */
async function openScan(page: Page) {
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("[data-unsent-store]")).toHaveAttribute("data-unsent-store", "ready");
}

/** No connection for /api/cards, in every page of the context; counts the attempts. */
async function cutUploads(context: BrowserContext) {
  const attempts = { count: 0 };
  await context.route("**/api/cards", (route) => {
    attempts.count++;
    return route.abort("connectionreset");
  });
  return attempts;
}

test.describe.configure({ mode: "serial" });

test("unsent photos survive a reload and a new tab, then go with the tags they were taken with and leave the store", async ({ page, context, signIn }) => {
  test.setTimeout(240_000);
  await signIn("admin");
  const admin = await userId("admin@example.com");
  await cutUploads(context);
  await openScan(page);
  const stamp = unique();
  const tag = `booth-${stamp}`;
  const files = await Promise.all([noise(`idb-a-${stamp}.png`), noise(`idb-b-${stamp}.png`)]);
  await page.getByLabel(/Tags for these cards/).fill(tag);
  await page.getByTestId("file-input").setInputFiles(files);
  await expect(page.getByTestId("unsent")).toContainText("2 photos were not sent. They are kept on this device, also if the page is reloaded or closed");
  expect(await stored(page)).toEqual(files.map((f) => ({ name: f.name, userId: admin, tags: tag, tagsRefused: false })));

  // The phone's OS discards the tab and reloads it: the photos are listed again (the automatic send fails: still no connection).
  await page.reload();
  await expect(page.getByTestId("unsent")).toContainText("2 photos were not sent");
  await expect(page.getByTestId("upload-errors")).toContainText(`${files[0].name}: Network error`);

  // Stored, so closing the tab does not make the browser ask (a click first: Chromium asks only after a user gesture).
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.type());
    void d.dismiss();
  });
  await page.getByRole("heading", { name: "Scan business cards" }).click();
  const next = await context.newPage();
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(dialogs).toEqual([]);

  // A new tab (the browser was closed and opened again): its tags box starts empty, the photos still have theirs.
  await openScan(next);
  await expect(next.getByLabel(/Tags for these cards/)).toHaveValue("");
  await expect(next.getByTestId("unsent")).toContainText("2 photos were not sent");

  // The connection is back: opening the page sends them by itself.
  await context.unroute("**/api/cards");
  await openScan(next);
  await expect(next.getByTestId("scan-row").filter({ hasText: stamp })).toHaveCount(2);
  await expect(next.getByTestId("unsent")).toHaveCount(0);
  await expect.poll(() => stored(next)).toEqual([]);
  expect(await tagsOf(files.map((f) => f.name))).toEqual(Object.fromEntries(files.map((f) => [f.name, [tag]])));
  await finish(next, files.map((f) => f.name));
});

test("another user signing in on the same browser neither sees nor sends the first user's photos", async ({ page, context, signIn }) => {
  test.setTimeout(240_000);
  await signIn("admin");
  const admin = await userId("admin@example.com");
  const attempts = await cutUploads(context);
  await openScan(page);
  const file = await noise(`idb-user-${unique()}.png`);
  await page.getByTestId("file-input").setInputFiles([file]);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  const tried = attempts.count;
  expect(tried).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAs(page, "rep");
  await openScan(page);
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  // Not sent either, not even tried: no upload since the admin's.
  expect(attempts.count).toBe(tried);
  // Still in the browser, as the admin's.
  expect((await stored(page)).map((r) => [r.name, r.userId])).toEqual([[file.name, admin]]);

  // The admin again, with a connection: the photo is there and goes by itself.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await context.unroute("**/api/cards");
  await signInAs(page, "admin");
  await openScan(page);
  await expect(page.getByTestId("scan-row").filter({ hasText: file.name })).toHaveCount(1);
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await expect.poll(() => stored(page)).toEqual([]);
  await finish(page, [file.name]);
});

test("a stored photo stays through a 503 and leaves the store when the server refuses it, with its message", async ({ page, context, signIn }) => {
  test.setTimeout(120_000);
  await signIn("admin");
  await cutUploads(context);
  await openScan(page);
  const name = `idb-bad-${unique()}.png`;
  await page.getByTestId("file-input").setInputFiles([{ name, mimeType: "image/png", buffer: Buffer.from("not an image") }]);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  expect((await stored(page)).map((r) => r.name)).toEqual([name]);

  // A busy server: an answer, but one that says "later". Kept, in the page and in the store.
  await context.unroute("**/api/cards");
  await context.route("**/api/cards", (route) =>
    route.fulfill({ status: 503, headers: { "retry-after": "5" }, json: { error: { code: "UNAVAILABLE", message: "Uploads are paused for a moment." } } }),
  );
  await page.reload();
  await expect(page.getByTestId("upload-errors")).toHaveText(`${name}: Uploads are paused for a moment. Try again in 5 s.`);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  expect((await stored(page)).map((r) => r.name)).toEqual([name]);

  // The real server refuses the bytes for what they are: sending again cannot help, so it is dropped, with the reason.
  await context.unroute("**/api/cards");
  await page.getByRole("button", { name: "Send it again" }).click();
  await expect(page.getByTestId("upload-errors")).toHaveText(`${name}: This file is not a supported image (JPEG, PNG, WebP, AVIF or TIFF).`);
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await expect.poll(() => stored(page)).toEqual([]);
  await openScan(page);
  await expect(page.getByTestId("unsent")).toHaveCount(0);
});

test("without IndexedDB the photos are kept in the page only, the notice says so, and leaving asks first", async ({ page, context, signIn }) => {
  await signIn("admin");
  // A browser that gives the page no IndexedDB (some private modes).
  await context.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined, configurable: true }));
  await cutUploads(context);
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("[data-unsent-store]")).toHaveAttribute("data-unsent-store", "unavailable");
  await page.getByTestId("file-input").setInputFiles([{ name: `idb-none-${unique()}.png`, mimeType: "image/png", buffer: Buffer.from("x") }]);
  await expect(page.getByTestId("unsent")).toContainText(
    "1 photo was not sent. They are kept only while this page stays open: leaving or reloading it loses them (this browser does not let the page store photos). They go by themselves when the connection is back.",
  );
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.type());
    // Stay on the page.
    void d.dismiss();
  });
  await page.getByRole("heading", { name: "Scan business cards" }).click();
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => dialogs).toEqual(["beforeunload"]);
  expect(page.isClosed()).toBe(false);
  await context.unroute("**/api/cards");
});

test("a scan page left open while someone else signs in on this browser does not send its photos as theirs", async ({ page, context, signIn }) => {
  await signIn("admin");
  await openScan(page);
  const adminId = await userId("admin@example.com");
  // The admin signs out and the rep signs in, in another tab of the same browser: the session cookie is now theirs.
  const other = await context.newPage();
  const switchTo = async (who: "admin" | "rep") => {
    await context.clearCookies();
    await signInAs(other, who);
  };
  await switchTo("rep");
  const name = `wrong-user-${unique()}.png`;
  await page.getByTestId("file-input").setInputFiles([await noise(name)]);
  await expect(page.getByTestId("upload-errors")).toContainText(`${name}: These photos were taken while someone else was signed in on this browser, so they were not sent.`);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  // Kept for the admin, and no card of the rep's (or anyone's) was made from it.
  expect((await stored(page)).map((r) => [r.name, r.userId])).toEqual([[name, adminId]]);
  expect(await sql(`SELECT 1 FROM "CardScan" WHERE "fileName" = $1`, [name])).toHaveLength(0);

  // The route itself: a name that is not the session's user is a 409, one that is goes through.
  const repId = await userId("rep@example.com");
  const png = await noise(`wrong-user-api-${unique()}.png`);
  const refused = await other.request.post("/api/cards", { headers: { "x-expected-user": adminId }, multipart: { files: { name: png.name, mimeType: png.mimeType, buffer: png.buffer } } });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.code).toBe("WRONG_USER");
  expect(await sql(`SELECT 1 FROM "CardScan" WHERE "fileName" = $1`, [png.name])).toHaveLength(0);
  const accepted = await other.request.post("/api/cards", { headers: { "x-expected-user": repId }, multipart: { files: { name: png.name, mimeType: png.mimeType, buffer: png.buffer } } });
  expect(accepted.status()).toBe(202);

  // The admin signs in again: the photo goes, as the admin's.
  await switchTo("admin");
  await openScan(page);
  await expect.poll(() => stored(page)).toEqual([]);
  const [row] = await sql<{ userId: string }>(`SELECT "userId"::text AS "userId" FROM "CardScan" WHERE "fileName" = $1`, [name]);
  expect(row.userId).toBe(adminId);
  await finish(other, [name]);
  // The API upload above was the rep's: its draft is discarded by the rep.
  await switchTo("rep");
  await finish(other, [png.name]);
});

test("an answer that is not the app's (a proxy's 413 page) keeps the photo: it goes once the proxy lets it through", async ({ page, context, signIn }) => {
  test.setTimeout(300_000);
  await signIn("admin");
  await openScan(page);
  await context.route("**/api/cards", (route) => route.fulfill({ status: 413, contentType: "text/html", body: "<html><body><h1>413 Request Entity Too Large</h1>nginx</body></html>" }));
  const photo = await noise(`proxy-413-${unique()}.png`);
  await page.getByTestId("file-input").setInputFiles([photo]);
  await expect(page.getByTestId("upload-errors")).toHaveText(`${photo.name}: Upload failed (413)`);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  expect((await stored(page)).map((r) => r.name)).toEqual([photo.name]);
  await context.unroute("**/api/cards");
  await page.getByRole("button", { name: "Send it again" }).click();
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await expect.poll(() => stored(page)).toEqual([]);
  await finish(page, [photo.name]);
});


test("a photo whose send arrived but whose answer was lost is not made a second card once its draft is confirmed", async ({ page, context, signIn }) => {
  test.setTimeout(360_000);
  await signIn("admin");
  await openScan(page);
  // The request reaches the server (which makes the scan), the answer never reaches the page: a tab that died.
  await context.route("**/api/cards", async (route) => {
    await route.fetch();
    await route.abort("connectionreset");
  });
  const photo = await noise(`answer-lost-${unique()}.png`);
  await page.getByTestId("file-input").setInputFiles([photo]);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  await context.unroute("**/api/cards");
  // Meanwhile the worker read it and the rep confirmed its draft on another device.
  const scanOf = async () => (await sql<{ id: string; status: string; draftId: string | null }>(`SELECT "id", "status"::text, "draftId" FROM "CardScan" WHERE "fileName" = $1`, [photo.name]))[0];
  await expect.poll(async () => (await scanOf())?.status, { timeout: 240_000 }).toMatch(/^(DONE|FAILED)$/);
  const scan = await scanOf();
  let contactId: string | null = null;
  if (scan.draftId) {
    // Random pixels read as nothing in particular: the rep types the name (and clears whatever else was read).
    const blank = { title: null, company: null, email: null, phone: null, website: null, address: null };
    await trpc(page, "drafts.update", { id: scan.draftId, fields: { fullName: `Answer Lost ${unique()}`, ...blank } });
    ({ contactId } = await trpc<{ contactId: string }>(page, "drafts.confirm", { id: scan.draftId, force: true }));
  }
  await page.getByRole("button", { name: "Send it again" }).click();
  await expect(page.getByTestId("upload-notice")).toContainText("already uploaded");
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await expect.poll(() => stored(page)).toEqual([]);
  expect(await sql(`SELECT "id" FROM "CardScan" WHERE "fileName" = $1`, [photo.name])).toEqual([{ id: scan.id }]);
  if (contactId) await trpc(page, "contacts.delete", { id: contactId });
});
