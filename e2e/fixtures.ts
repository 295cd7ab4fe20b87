// Shared e2e fixtures: sign in as a seeded user in one line.
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";

export const USERS = {
  admin: { email: "admin@example.com", password: "admin1234" },
  rep: { email: "rep@example.com", password: "rep12345" },
} as const;

/** Signs `page` in as a seeded user: for a second browser context (another user at the same time). */
export async function signIn(page: Page, who: keyof typeof USERS) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USERS[who].email);
  await page.getByLabel("Password").fill(USERS[who].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(USERS[who].email);
  // The header above is server-rendered: wait for the page's script too, so the test's first
  // click or keystroke reaches a handler (app/_components/hydration-marker.tsx).
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

export const test = base.extend<{ signIn: (who: keyof typeof USERS) => Promise<void> }>({
  signIn: async ({ page }, use) => {
    await use((who) => signIn(page, who));
  },
});

export { expect };

/** A tRPC call with the page's session (superjson on the wire), asserted 200; its data. */
export async function trpc<T>(page: Page, path: string, input: unknown, method: "GET" | "POST" = "POST"): Promise<T> {
  const res = method === "POST"
    ? await page.request.post(`/api/trpc/${path}`, { data: { json: input } })
    : await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  expect(res.status(), await res.text().catch(() => "")).toBe(200);
  return (await res.json()).result.data.json as T;
}

/** One SQL statement against the e2e database, for set-up and checks the UI cannot reach. */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}

type Query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * Several statements in one transaction. Set-up that the live worker must never see half-done
 * goes through here: the campaign supervisor (a tick every 2 s by default) finalizes a SENDING campaign
 * with no open rows as SENT, so a campaign row committed before its recipient rows can be
 * finished between the two inserts.
 */
export async function sqlTx<R>(fn: (q: Query) => Promise<R>): Promise<R> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    await db.query("BEGIN");
    const q: Query = async <T,>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];
    const result = await fn(q);
    await db.query("COMMIT");
    return result;
  } catch (err) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}
