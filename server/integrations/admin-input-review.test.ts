// Admin inputs and exports from the integrations review (hostile review), each a 4xx or a right answer instead of a
// 500 or a misleading one: control characters and non-URLs as webhook URLs, NUL and forged cursors in the audit
// search, an export of everything audited as such, ';' inside CSV cells, and a HubSpot token sealed under another key.
// Its own database: the HubSpot token is a single row other files use.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { usePrivateDatabaseAndPrefix } from "../testing/private-queue-file";

const { cleanUp } = await usePrivateDatabaseAndPrefix("admin_inputs");
const session = vi.hoisted(() => ({ actor: null as import("../trpc/context").Actor | null }));
vi.mock("@/app/_lib/session", () => ({ getActor: async () => session.actor }));

const { getDb } = await import("../db");
const { callerFor, makeUser } = await import("../testing/fixtures");
const { handleTrpcRequest } = await import("../trpc/http-handler");
const { toCsvRows } = await import("../contacts/export-contacts");
const { pushContactsToHubspot } = await import("./hubspot-push");
const { UNREADABLE_TOKEN } = await import("./hubspot-settings");
const { GET: exportGET } = await import("@/app/api/contacts/export/route");

type Actor = import("../trpc/context").Actor;
let admin: Actor;
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  session.actor = admin;
});
afterAll(() => cleanUp());

async function trpcPost(path: string, input: unknown) {
  const req = new Request(`http://t.local/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: input }) });
  const res = await handleTrpcRequest(req, { actor: admin, requestId: "req-admin-inputs", ip: "127.0.0.1" });
  return { status: res.status, body: (await res.json()) as { error?: { json?: { data?: { fieldErrors?: Record<string, string[]> } } } } };
}
async function trpcGet(path: string, input: unknown) {
  const req = new Request(`http://t.local/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  const res = await handleTrpcRequest(req, { actor: admin, requestId: "req-admin-inputs", ip: "127.0.0.1" });
  return { status: res.status };
}

describe("webhook URLs", () => {
  it.each([
    ["a NUL", "https://example.com/\u0000"],
    ["a NUL in the query", "https://example.com/?a=\u0000"],
    ["not a URL at all", "not a url"],
    ["a scheme and nothing else", "http://"],
    ["a broken IPv6 host", "http://[::1"],
  ])("with %s is a 422 naming the url, and nothing is stored", async (_name, url) => {
    const before = await getDb().webhook.count();
    const res = await trpcPost("integrations.webhooks.create", { url, events: ["contact.created"] });
    expect(res.status).toBe(422);
    expect(res.body.error?.json?.data?.fieldErrors?.url?.length).toBeGreaterThan(0);
    expect(await getDb().webhook.count()).toBe(before);
  });
});

describe("audit log search", () => {
  it("a NUL in the search is cleaned (200); a cursor whose id is no uuid is a 422", async () => {
    expect((await trpcGet("audit.list", { search: "a\u0000b" })).status).toBe(200);
    expect((await trpcGet("audit.list", { cursor: "1_------------------------------------" })).status).toBe(422);
  });
});

describe("contact export", () => {
  it("an export with no filter is audited as all contacts, whichever way it is asked for", async () => {
    const res = await exportGET(new Request("http://t.local/api/contacts/export?format=csv"));
    expect(res.status).toBe(200);
    await res.text();
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "contacts.export" }, orderBy: { at: "desc" } });
    expect(event.targetLabel).toBe("all contacts as CSV");
    const filtered = await exportGET(new Request("http://t.local/api/contacts/export?format=csv&search=acme"));
    await filtered.text();
    expect((await getDb().auditEvent.findFirstOrThrow({ where: { action: "contacts.export" }, orderBy: { at: "desc" } })).targetLabel).toBe("contacts matching a search as CSV");
  });

  it("a cell with ';' is quoted, so a spreadsheet that splits on ';' keeps it one text cell", () => {
    const csv = toCsvRows([{ id: "00000000-0000-4000-8000-000000000001", fullName: "Eve", title: null, company: "Acme;=1+1;", email: null, phone: null, otherPhones: [], website: null, linkedinUrl: null, address: null, notes: "hi;=cmd|' /C calc'!A0", tags: [], source: "manual", ownerName: "Rep", createdAt: new Date(0), updatedAt: new Date(0) } as never], false);
    expect(csv).toContain('"Acme;=1+1;"');
    expect(csv).toContain(`"hi;=cmd|' /C calc'!A0"`);
  });
});

describe("a HubSpot token sealed under another key", () => {
  it("push and retry-failed answer 409 saying to save it again; the worker fails queued contacts with that reason", async () => {
    // A token sealed with another CRM_ENCRYPTION_KEY: the right shape, an authentication tag this key refuses.
    await getDb().integrationSetting.upsert({ where: { key: "hubspot" }, create: { key: "hubspot", encryptedToken: "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA" }, update: { encryptedToken: "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA" } });
    const c = await getDb().contact.create({ data: { fullName: "Queued Before", email: "queued@example.com", ownerId: admin.id, crmSyncState: "pending" } });
    await expect(callerFor(admin).integrations.hubspot.push({ contactIds: [c.id] })).rejects.toMatchObject({ code: "CONFLICT", message: UNREADABLE_TOKEN });
    await expect(callerFor(admin).integrations.hubspot.retryFailed()).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await pushContactsToHubspot(getDb(), [c.id], { number: 1, max: 5 })).toEqual({ synced: 0, failed: 1 });
    expect(await getDb().contact.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ crmSyncState: "failed", crmSyncError: UNREADABLE_TOKEN });
  });
});
