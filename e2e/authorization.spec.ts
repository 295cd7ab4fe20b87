// Every route handler under app/api, enumerated from the file system, probed without a
// session and as a rep; the expected answers come from server/security/access-table.ts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test, expect } from "./fixtures";
import { ROUTES } from "../server/security/access-table";

const API = path.resolve(__dirname, "../app/api");
const routeFiles = (readdirSync(API, { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts")).map((f) => f.split(path.sep).join("/")).sort();

test("every route handler has a row in the access table", () => {
  expect(routeFiles.filter((f) => !ROUTES.some((r) => r.file === f))).toEqual([]);
  expect(ROUTES.filter((r) => !routeFiles.includes(r.file)).map((r) => r.file)).toEqual([]);
});

/** The HTTP methods a route file exports: `export async function POST`, `export { handler as GET }`. */
function exportedMethods(file: string): string[] {
  const src = readFileSync(path.join(API, file), "utf8");
  const named = [...src.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)].map((m) => m[1]);
  const reexported = [...src.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)].map((x) => x[1]));
  return [...named, ...reexported];
}

test("every method a route handler exports has its own row in the access table", () => {
  const exported = routeFiles.flatMap((f) => exportedMethods(f).map((m) => `${m} ${f}`));
  expect(exported.length).toBeGreaterThan(routeFiles.length); // some files export GET and POST
  expect(exported.filter((x) => !ROUTES.some((r) => `${r.method} ${r.file}` === x))).toEqual([]);
  expect(ROUTES.map((r) => `${r.method} ${r.file}`).filter((x) => !exported.includes(x))).toEqual([]);
});

for (const r of ROUTES) {
  test(`${r.method} ${r.probe}: without a session → ${r.anonymous}`, async ({ playwright, baseURL }) => {
    const anon = await playwright.request.newContext({ baseURL });
    const res = r.method === "GET" ? await anon.get(r.probe) : await anon.post(r.probe, { data: {} });
    expect(res.status()).toBe(r.anonymous);
    await anon.dispose();
  });
}

test("as a rep: admin-only routes are 403, the others let the rep through", async ({ page, signIn }) => {
  await signIn("rep");
  for (const r of ROUTES.filter((x) => x.access === "admin" || x.access === "signed-in")) {
    const res = r.method === "GET" ? await page.request.get(r.probe) : await page.request.post(r.probe, { data: {} });
    if (r.access === "admin") expect(res.status(), r.probe).toBe(403);
    else expect([401, 403], r.probe).not.toContain(res.status());
  }
});

test("security headers are set, with no unsafe-eval in production", async ({ request }) => {
  const res = await request.get("/login");
  const csp = res.headers()["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});

test("tRPC answers (served without Next by npm start) carry exactly the security headers pages carry", async ({ request }) => {
  const page = (await request.get("/login")).headers();
  const api = await request.get("/api/trpc/system.me");
  expect(api.status()).toBe(401);
  const headers = api.headers();
  // Answered by the launcher's direct path (server/http/node-trpc.ts), not Next's route:
  // Next would add its router's Vary entries.
  expect(headers.vary).not.toMatch(/\brsc\b/);
  for (const name of ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "permissions-policy"]) {
    expect(headers[name], name).toBe(page[name]);
  }
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, signIn, context }) => {
  await signIn("rep");
  const cookie = (await context.cookies()).find((c) => c.name.includes("next-auth.session-token"));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
});
