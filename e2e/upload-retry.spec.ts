// Photos that do not get through (trade-show Wi-Fi, a busy server) are kept on the scan page and sent again, by a
// button or by themselves when the browser is back online; a long upload records each request's scans as it goes,
// so a reload during it still lists them; the camera stays usable while an upload runs.
// Runs as the admin with generated images, so the rep's drafts (draft-review.spec) are untouched; every scan made
// here is read by the worker and its draft discarded before the test ends.
import sharp from "sharp";
import { test, expect, sql, trpc } from "./fixtures";
import type { Page } from "@playwright/test";
import { finish, noise, unique } from "./scan-helpers";

test.describe.configure({ mode: "serial" });

test("an upload that fails on the network is kept and sent again with one tap", async ({ page, signIn }) => {
  test.setTimeout(300_000);
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const file = await noise(`retry-${unique()}.png`);
  await page.route("**/api/cards", (route) => route.abort("connectionreset"));
  await page.getByTestId("file-input").setInputFiles([file]);
  await expect(page.getByTestId("upload-errors")).toContainText(`${file.name}: Network error: the upload did not reach the server.`);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent. They are kept on this device");
  await page.unroute("**/api/cards");

  await page.getByRole("button", { name: "Send it again" }).click();
  await expect(page.getByTestId("scan-row").filter({ hasText: file.name })).toHaveCount(1);
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await expect(page.getByTestId("upload-errors")).toHaveCount(0);
  await finish(page, [file.name]);
});

test("offline, the photo waits; back online, it goes by itself", async ({ page, signIn, context }) => {
  test.setTimeout(300_000);
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const file = await noise(`offline-${unique()}.png`);
  await context.setOffline(true);
  await page.getByTestId("file-input").setInputFiles([file]);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  await context.setOffline(false);
  await expect(page.getByTestId("scan-row").filter({ hasText: file.name })).toHaveCount(1);
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await finish(page, [file.name]);
});

test("a refused photo is not offered again; a 503 is", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.route("**/api/cards", (route) =>
    route.fulfill({ status: 422, json: { error: { code: "VALIDATION", message: "No file was accepted", files: [{ fileName: "bad.png", message: "The file is not an image." }] } } }),
  );
  await page.getByTestId("file-input").setInputFiles([{ name: "bad.png", mimeType: "image/png", buffer: Buffer.from("not an image") }]);
  await expect(page.getByTestId("upload-errors")).toHaveText("bad.png: The file is not an image.");
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await page.unroute("**/api/cards");
  await page.route("**/api/cards", (route) => route.fulfill({ status: 503, headers: { "retry-after": "5" }, json: { error: { code: "UNAVAILABLE", message: "Uploads are paused for a moment." } } }));
  await page.getByTestId("file-input").setInputFiles([{ name: "later.png", mimeType: "image/png", buffer: Buffer.from("x") }]);
  await expect(page.getByTestId("upload-errors")).toHaveText("later.png: Uploads are paused for a moment. Try again in 5 s.");
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  await page.unroute("**/api/cards");
});

test("a long upload lists each request's cards as soon as they are in, and the camera stays usable meanwhile", async ({ page, signIn }) => {
  test.setTimeout(360_000);
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const stamp = unique();
  const files = await Promise.all(Array.from({ length: 11 }, (_, i) => noise(`long-${stamp}-${i}.png`)));
  // The second request (the 11th photo) is held until the test lets it go.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let posts = 0;
  await page.route("**/api/cards", async (route) => {
    if (++posts === 2) await held;
    await route.continue();
  });
  await page.getByTestId("file-input").setInputFiles(files);
  await expect(page.getByTestId("upload-status")).toHaveText("Uploading… 10 of 11 sent");
  await expect(page.getByTestId("scan-row")).toHaveCount(10);
  // Recorded already: a reload now (a phone discarding the tab) would list these ten.
  const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem("sales-agent:scan-batch") ?? "[]") as string[]);
  expect(kept).toHaveLength(10);
  await expect(page.getByRole("button", { name: "Take a photo" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Choose files" })).toBeEnabled();
  release();
  await expect(page.getByTestId("scan-row")).toHaveCount(11);
  await expect(page.getByTestId("upload-status")).toBeEmpty();
  await page.unroute("**/api/cards");
  await finish(page, files.map((f) => f.name));
});

test("a 48-megapixel photo is made smaller in the browser and accepted, not refused for its size", async ({ page, signIn }) => {
  test.setTimeout(360_000);
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const name = `phone-48mp-${unique()}.jpg`;
  // 8000 × 6000, as a 48 MP phone camera takes it; over the server's 40 MP limit.
  const buffer = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: "#ffffff", noise: { type: "gaussian", mean: 200, sigma: 6 } } }).jpeg({ quality: 80 }).toBuffer();
  await page.getByTestId("file-input").setInputFiles([{ name, mimeType: "image/jpeg", buffer }]);
  await expect(page.getByTestId("scan-row").filter({ hasText: name })).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId("upload-errors")).toHaveCount(0);
  const [scan] = await sql<{ width: number; height: number; mimeType: string }>(`SELECT "width", "height", "mimeType" FROM "CardScan" WHERE "fileName" = $1`, [name]);
  // Brought down to about 16 MP, its shape kept.
  expect(scan.width * scan.height).toBeLessThanOrEqual(16_000_000);
  expect(scan.width * scan.height).toBeGreaterThan(15_000_000);
  expect(Math.abs(scan.width / scan.height - 4 / 3)).toBeLessThan(0.01);
  expect(scan.mimeType).toBe("image/jpeg");
  await finish(page, [name]);
});

/** Holds the first POST /api/cards until `release()`; `seen` resolves once it is held. Later ones go through. */
async function holdFirstUpload(page: Page) {
  let release!: () => void;
  let seen!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (seen = r));
  let posts = 0;
  await page.route("**/api/cards", async (route) => {
    if (++posts === 1) {
      seen();
      await held;
    }
    await route.continue();
  });
  return { release, seen: reached };
}

const tagsOf = async (fileNames: string[]) =>
  Object.fromEntries((await sql<{ fileName: string; tags: string[] }>(`SELECT "fileName", "tags" FROM "CardScan" WHERE "fileName" = ANY($1)`, [fileNames])).map((r) => [r.fileName, r.tags]));

test("a photo taken during an upload gets the tags the box had when it was taken, not those of the upload running", async ({ page, signIn }) => {
  test.setTimeout(300_000);
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const stamp = unique();
  const [first, second] = await Promise.all([noise(`stale-a-${stamp}.png`), noise(`stale-b-${stamp}.png`)]);
  const box = page.getByLabel(/Tags for these cards/);
  const { release, seen } = await holdFirstUpload(page);
  await box.fill("booth-a");
  await page.getByTestId("file-input").setInputFiles([first]);
  await seen;
  // The rep moves on to the next booth while the first card is still uploading.
  await box.fill("booth-b");
  await page.getByTestId("file-input").setInputFiles([second]);
  release();
  await expect(page.getByTestId("scan-row").filter({ hasText: stamp })).toHaveCount(2);
  expect(await tagsOf([first.name, second.name])).toEqual({ [first.name]: ["booth-a"], [second.name]: ["booth-b"] });
  await page.unroute("**/api/cards");
  await box.fill("");
  await finish(page, [first.name, second.name]);
});

test("refused tags: the photos of that upload and of those waiting behind it are kept, and go with the fixed tags", async ({ page, signIn }) => {
  test.setTimeout(300_000);
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const stamp = unique();
  const [first, second] = await Promise.all([noise(`tags-refused-a-${stamp}.png`), noise(`tags-refused-b-${stamp}.png`)]);
  const box = page.getByLabel(/Tags for these cards/);
  const { release, seen } = await holdFirstUpload(page);
  await box.fill(`booth-${"x".repeat(40)}`);
  await page.getByTestId("file-input").setInputFiles([first]);
  await seen;
  // Taken while the first is on its way: it waits behind it.
  await page.getByTestId("file-input").setInputFiles([second]);
  release();
  await expect(page.getByTestId("batch-tags-error")).toHaveText(/is longer than 40 characters.*No card was uploaded; the photos are kept below/);
  await expect(page.getByTestId("unsent")).toContainText("2 photos were not sent");
  await expect(page.getByTestId("scan-row").filter({ hasText: stamp })).toHaveCount(0);
  expect(await tagsOf([first.name, second.name])).toEqual({});
  await page.unroute("**/api/cards");

  // Fixed, then sent again: with the tags as they are now (the refused ones were never accepted).
  await box.fill("booth-c");
  await page.getByRole("button", { name: "Send the 2 again" }).click();
  await expect(page.getByTestId("scan-row").filter({ hasText: stamp })).toHaveCount(2);
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  await expect(page.getByTestId("batch-tags-error")).toHaveCount(0);
  expect(await tagsOf([first.name, second.name])).toEqual({ [first.name]: ["booth-c"], [second.name]: ["booth-c"] });
  await box.fill("");
  await finish(page, [first.name, second.name]);
});

test("refused tags sent again unfixed: the photos stay in the list, not dropped", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/scan");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const file = await noise(`tags-again-${unique()}.png`);
  const box = page.getByLabel(/Tags for these cards/);
  await box.fill(Array.from({ length: 31 }, (_, i) => `t${i}`).join(", "));
  await page.getByTestId("file-input").setInputFiles([file]);
  await expect(page.getByTestId("batch-tags-error")).toHaveText(/At most 30 tags; this has 31\. No card was uploaded/);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  // Held, to see the list emptied while it is on its way, and the photo back once it is refused again.
  const { release, seen } = await holdFirstUpload(page);
  await page.getByRole("button", { name: "Send it again" }).click();
  await seen;
  await expect(page.getByTestId("upload-status")).toHaveText("Uploading…");
  await expect(page.getByTestId("unsent")).toHaveCount(0);
  release();
  await expect(page.getByTestId("upload-status")).toBeEmpty();
  await expect(page.getByTestId("batch-tags-error")).toHaveText(/At most 30 tags; this has 31/);
  await expect(page.getByTestId("unsent")).toContainText("1 photo was not sent");
  expect(await tagsOf([file.name])).toEqual({});
  await page.unroute("**/api/cards");
  await box.fill("");
});
