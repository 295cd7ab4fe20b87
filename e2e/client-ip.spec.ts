// The client address the app records and rate-limits by is the TCP peer that `npm start`'s
// launcher saw (TRUST_PROXY_HOPS=0 here), whatever X-Forwarded-For, X-Real-IP or the
// launcher's own header a client sends: through Next (a route handler) and through the direct
// tRPC path alike. The audit log stores that address, so it shows what the limits key on.
import { randomUUID } from "node:crypto";
import { test, expect, USERS } from "./fixtures";
import type { APIRequestContext } from "@playwright/test";

const SPOOF = { "x-forwarded-for": "203.0.113.66, 198.51.100.7", "x-real-ip": "203.0.113.67", "x-sa-client-ip": "203.0.113.68" };
const LOOPBACK = ["127.0.0.1", "::1"];

async function signInApi(request: APIRequestContext) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/credentials", { form: { ...USERS.admin, csrfToken, json: "true" }, headers: SPOOF });
  expect(res.status()).toBe(200);
}

async function auditIpOf(request: APIRequestContext, action: string, requestId: string): Promise<string | null> {
  const input = encodeURIComponent(JSON.stringify({ json: { action, limit: 50 } }));
  const res = await request.get(`/api/trpc/audit.list?input=${input}`, { headers: SPOOF });
  expect(res.status()).toBe(200);
  const items = (await res.json()).result.data.json.items as { requestId: string | null; ip: string | null }[];
  const row = items.find((i) => i.requestId === requestId);
  expect(row, `audit row for ${requestId}`).toBeTruthy();
  return row!.ip;
}

test("a spoofed X-Forwarded-For is ignored: a route handler records the socket's address", async ({ request }) => {
  await signInApi(request);
  const requestId = `e2e-ip-export-${randomUUID().slice(0, 8)}`;
  const res = await request.get("/api/contacts/export?format=csv&search=nobody-at-all", { headers: { ...SPOOF, "x-request-id": requestId } });
  expect(res.status()).toBe(200);
  expect(LOOPBACK).toContain(await auditIpOf(request, "contacts.export", requestId));
});

test("a spoofed X-Forwarded-For is ignored: the direct tRPC path records the socket's address", async ({ request }) => {
  await signInApi(request);
  const requestId = `e2e-ip-trpc-${randomUUID().slice(0, 8)}`;
  const email = `ip-${randomUUID().slice(0, 8)}@example.com`;
  const res = await request.post("/api/trpc/users.create", {
    data: { json: { email, name: "Client IP", password: "ip-test-password", role: "REP" } },
    headers: { ...SPOOF, "x-request-id": requestId },
  });
  expect(res.status(), await res.text()).toBe(200);
  expect(LOOPBACK).toContain(await auditIpOf(request, "users.create", requestId));
});
