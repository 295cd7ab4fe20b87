// Bad input to sign-in and tRPC gets a clear 4xx, never a 500.
import { test, expect } from "./fixtures";
import type { APIRequestContext } from "@playwright/test";

async function csrf(request: APIRequestContext): Promise<string> {
  const res = await request.get("/api/auth/csrf");
  return (await res.json()).csrfToken;
}

async function postSignIn(request: APIRequestContext, form: Record<string, string>) {
  return request.post("/api/auth/callback/credentials", { form: { ...form, csrfToken: await csrf(request), json: "true" } });
}

test("sign-in with empty fields answers 422 naming the fields", async ({ request }) => {
  const res = await postSignIn(request, { email: "", password: "" });
  expect(res.status()).toBe(422);
  const body = await res.json();
  expect(body.error.code).toBe("VALIDATION");
  expect(Object.keys(body.error.fieldErrors).sort()).toEqual(["email", "password"]);
});

test("sign-in with a 10 KB email answers 4xx", async ({ request }) => {
  const res = await postSignIn(request, { email: `${"a".repeat(10_240)}@example.com`, password: "x" });
  expect([413, 422]).toContain(res.status());
});

test("sign-in with SQL-looking strings answers 4xx", async ({ request }) => {
  const res = await postSignIn(request, { email: "admin@example.com' OR '1'='1", password: "' OR 1=1 --" });
  expect(res.status()).toBeGreaterThanOrEqual(400);
  expect(res.status()).toBeLessThan(500);
});

test("sign-in with a malformed JSON body answers 400", async ({ request }) => {
  const res = await request.post("/api/auth/callback/credentials", { headers: { "content-type": "application/json" }, data: Buffer.from("{oops") });
  expect(res.status()).toBe(400);
});

test("tRPC: malformed JSON answers 400, unknown procedure 404, anonymous 401", async ({ page, signIn }) => {
  await signIn("admin");
  const bad = await page.request.post("/api/trpc/users.create", { headers: { "content-type": "application/json" }, data: Buffer.from("{oops") });
  expect(bad.status()).toBe(400);
  const unknown = await page.request.get("/api/trpc/does.not.exist");
  expect(unknown.status()).toBe(404);
  const invalid = await page.request.post("/api/trpc/users.create", { data: { json: { email: "x".repeat(10_240), name: "", password: "", role: "X" } } });
  expect(invalid.status()).toBe(422);
});

test("tRPC: an anonymous call is 401 and a rep calling an admin procedure is 403", async ({ request, page, signIn }) => {
  expect((await request.get("/api/trpc/system.me")).status()).toBe(401);
  await signIn("rep");
  expect((await page.request.get("/api/trpc/users.list")).status()).toBe(403);
});

test("health answers ok for db, redis and worker", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", db: "ok", redis: "ok", worker: "ok" });
});
