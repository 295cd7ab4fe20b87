// A browser that sees the worker offline. The suite's one worker is shared by every spec, so it is
// never stopped: instead system.workerStatus is answered as it is for a stale heartbeat (that answer
// itself is tested against Redis in server/system/worker-status.test.ts).
import type { Page } from "@playwright/test";

export const isWorkerStatus = (url: string) => new URL(url).pathname.includes("system.workerStatus");

/**
 * Makes the browser see a stale heartbeat: system.workerStatus answers offline, last beat 95 s ago. Only that
 * entry of a tRPC batch is rewritten; every other procedure's real answer passes through.
 */
export async function seeWorkerOffline(page: Page) {
  await page.route(/\/api\/trpc\//, async (route) => {
    const url = new URL(route.request().url());
    if (!isWorkerStatus(url.toString())) return route.continue();
    const names = decodeURIComponent(url.pathname.replace(/^\/api\/trpc\//, "")).split(",");
    const res = await route.fetch();
    const offline = { result: { data: { json: { online: false, lastHeartbeatAgeMs: 95_000 } } } };
    if (url.searchParams.get("batch") !== "1") return route.fulfill({ response: res, json: offline });
    const body = (await res.json()) as unknown[];
    body[names.indexOf("system.workerStatus")] = offline;
    return route.fulfill({ response: res, json: body });
  });
}

/** Counts the browser's system.workerStatus requests from now on. */
export function countWorkerPolls(page: Page) {
  const seen = { n: 0 };
  page.on("request", (r) => { if (r.url().includes("/api/trpc/") && isWorkerStatus(r.url())) seen.n++; });
  return seen;
}
