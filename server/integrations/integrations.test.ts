// CRM push against a local HubSpot fake, and signed webhooks against a local receiver,
// with the real worker process doing the sending.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { startFakeHubspot, type FakeHubspot } from "../testing/fake-hubspot";
import { usePrivateDatabaseAndPrefix } from "../testing/private-queue-file";

// Its own database and queue prefix: a HubSpot push job is done by whichever worker takes it, and only this file's
// worker talks to this file's HubSpot fake; a worker another file spawned took it to its own (or closed) fake, and the
// contacts stayed pending past the test's timeout. The token is one row, which other files save too.
const { cleanUp } = await usePrivateDatabaseAndPrefix("integrations");
const hub: FakeHubspot = await startFakeHubspot();
Object.assign(process.env, { HUBSPOT_API_BASE: hub.basePath, INTEGRATION_RETRY_BASE_MS: "100" });

const { getDb } = await import("../db");
const { callerFor, makeUser } = await import("../testing/fixtures");
const { spawnWorker, waitFor } = await import("../testing/worker-process");
const { splitName, toHubspotProperties } = await import("./hubspot-mapping");
const { verifySignature } = await import("./webhook-signature");
const { emitEvent } = await import("./emit-event");
const { runImport } = await import("../imports/run-import");

type Actor = Awaited<ReturnType<typeof makeUser>>;
let admin: Actor;
let rep: Actor;
let worker: ReturnType<typeof spawnWorker>;
const TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";

async function contacts(n: number, over: (i: number) => Record<string, unknown> = () => ({})) {
  const tag = randomUUID().slice(0, 8);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await getDb().contact.create({ data: { fullName: `Person ${tag} ${i}`, email: `p${i}.${tag}@example.com`, company: "Acme Ltd", title: "Buyer", phone: "+14155550100", ownerId: rep.id, ...over(i) } });
    ids.push(c.id);
  }
  return ids;
}

async function settled(ids: string[]) {
  return waitFor(async () => {
    const rows = await getDb().contact.findMany({ where: { id: { in: ids } } });
    return rows.every((r) => r.crmSyncState === "synced" || r.crmSyncState === "failed") ? rows : undefined;
  }, "contacts settled", 60_000, 200);
}

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  rep = await makeUser("REP");
  worker = spawnWorker();
  await callerFor(admin).integrations.hubspot.saveToken({ token: TOKEN });
});
afterAll(async () => {
  await worker.stop("SIGTERM");
  await hub.close();
  await cleanUp();
});

describe("HubSpot mapping", () => {
  it("splits western and Vietnamese names", () => {
    expect(splitName("Jane van der Berg")).toEqual({ firstname: "Jane van der", lastname: "Berg" });
    expect(splitName("Nguyễn Thị Minh Anh")).toEqual({ firstname: "Thị Minh Anh", lastname: "Nguyễn" });
    expect(splitName("Madonna")).toEqual({ firstname: "Madonna", lastname: "" });
  });

  it("maps every field to its HubSpot property", () => {
    expect(toHubspotProperties({ fullName: "Ann Lee", email: "ann@x.com", phone: "+14155550100", company: "X Inc", title: "CTO", website: "x.com", address: "1 Main St" })).toEqual({
      firstname: "Ann", lastname: "Lee", email: "ann@x.com", phone: "+14155550100", company: "X Inc", jobtitle: "CTO", website: "x.com", address: "1 Main St",
    });
  });
});

describe("HubSpot token", () => {
  it("is encrypted at rest and never sent back", async () => {
    const row = await getDb().integrationSetting.findUnique({ where: { key: "hubspot" } });
    expect(row?.encryptedToken).toBeTruthy();
    expect(row!.encryptedToken).not.toContain(TOKEN);
    const status = await callerFor(admin).integrations.hubspot.status();
    expect(JSON.stringify(status)).not.toContain(TOKEN.slice(0, 20));
    expect(status).toMatchObject({ configured: true, tokenHint: `…${TOKEN.slice(-4)}` });
  });

  it("refuses empty, huge and malformed input with VALIDATION", async () => {
    const api = callerFor(admin).integrations.hubspot;
    await expect(api.saveToken({ token: "" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.saveToken({ token: "x".repeat(10_240) })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.push({ contactIds: [] })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.push({ contactIds: ["'; DROP TABLE \"Contact\";--"] })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.push({ contactIds: Array.from({ length: 10_001 }, () => randomUUID()) })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.push({ contactIds: [randomUUID()] })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    // The saved token is untouched by the refused calls.
    expect((await api.status()).tokenHint).toBe(`…${TOKEN.slice(-4)}`);
  });

  it("is admin-only", async () => {
    await expect(callerFor(rep).integrations.hubspot.status()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(rep).integrations.hubspot.push({ all: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("push to HubSpot", () => {
  it("upserts by email with the mapping and stores the HubSpot id", async () => {
    // A mobile and a fax go to HubSpot's mobilephone and fax; a work number has no HubSpot property of its own.
    const otherPhones = [{ type: "work", e164: "+496990009047" }, { type: "mobile", e164: "+4915228817889" }, { type: "fax", e164: "+496990009048" }];
    const ids = await contacts(3, () => ({ otherPhones }));
    const before = hub.requests.length;
    expect(await callerFor(admin).integrations.hubspot.push({ contactIds: ids })).toEqual({ queued: 3 });
    const rows = await settled(ids);
    expect(rows.map((r) => r.crmSyncState)).toEqual(["synced", "synced", "synced"]);
    expect(rows.every((r) => /^\d+$/.test(r.hubspotId ?? ""))).toBe(true);
    const req = hub.requests.slice(before).find((r) => r.status === 200)!;
    expect(req.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.inputs).toHaveLength(3);
    expect(req.inputs[0]).toMatchObject({
      idProperty: "email",
      properties: { firstname: expect.stringContaining("Person"), company: "Acme Ltd", jobtitle: "Buyer", phone: "+14155550100", mobilephone: "+4915228817889", fax: "+496990009048" },
    });
  });

  it("sends 250 contacts as calls of at most 100", async () => {
    const ids = await contacts(250);
    const before = hub.requests.length;
    await callerFor(admin).integrations.hubspot.push({ contactIds: ids });
    const rows = await settled(ids);
    expect(rows.filter((r) => r.crmSyncState === "synced")).toHaveLength(250);
    const sizes = hub.requests.slice(before).filter((r) => r.status === 200).map((r) => r.inputs.length).sort((a, b) => b - a);
    expect(sizes).toEqual([100, 100, 50]);
  });

  it("waits out a 429 with Retry-After and then syncs", async () => {
    const ids = await contacts(2);
    const before = hub.requests.length;
    hub.rateLimitNext(1, 1);
    await callerFor(admin).integrations.hubspot.push({ contactIds: ids });
    const rows = await settled(ids);
    expect(rows.map((r) => r.crmSyncState)).toEqual(["synced", "synced"]);
    expect(hub.requests.slice(before).map((r) => r.status)).toEqual([429, 200]);
  });

  it("a 400 for one bad record fails that contact with the reason and syncs the rest", async () => {
    const ids = await contacts(4, (i) => (i === 2 ? { email: `not-an-email-${randomUUID()}` } : {}));
    await callerFor(admin).integrations.hubspot.push({ contactIds: ids });
    const rows = await settled(ids);
    const bad = rows.find((r) => r.id === ids[2])!;
    expect(bad.crmSyncState).toBe("failed");
    expect(bad.crmSyncError).toMatch(/HubSpot 400: .*invalid/i);
    expect(rows.filter((r) => r.crmSyncState === "synced")).toHaveLength(3);
  });

  it("a revoked token fails the batch once, without retrying, and retry-failed re-pushes only the failures", async () => {
    const ids = await contacts(3);
    hub.revoked.add(TOKEN);
    const before = hub.requests.length;
    await callerFor(admin).integrations.hubspot.push({ contactIds: ids });
    const rows = await settled(ids);
    expect(rows.every((r) => r.crmSyncState === "failed" && /rejected the token/.test(r.crmSyncError ?? ""))).toBe(true);
    expect(hub.requests.slice(before)).toHaveLength(1);

    hub.revoked.delete(TOKEN);
    const failedBefore = await getDb().contact.count({ where: { crmSyncState: "failed" } });
    const { queued } = await callerFor(admin).integrations.hubspot.retryFailed();
    expect(queued).toBe(failedBefore);
    const again = await settled(ids);
    expect(again.every((r) => r.crmSyncState === "synced")).toBe(true);
  });
});

describe("push to HubSpot: a contact already pushed", () => {
  async function pushAndSettle(ids: string[]) {
    await callerFor(admin).integrations.hubspot.push({ contactIds: ids });
    return settled(ids);
  }

  it("is updated by its HubSpot id: a changed email changes the same HubSpot contact; what only HubSpot has is kept", async () => {
    const [id] = await contacts(1);
    const [first] = await pushAndSettle([id]);
    const hubspotId = first.hubspotId!;
    expect(hub.records.get(hubspotId)).toMatchObject({ company: "Acme Ltd", jobtitle: "Buyer" });
    const recordsBefore = hub.records.size;

    // Sales typed a mobile into HubSpot after a call; the app never had one.
    hub.records.set(hubspotId, { ...hub.records.get(hubspotId)!, mobilephone: "+14155550199" });
    const newEmail = `moved.${randomUUID().slice(0, 8)}@example.org`;
    await getDb().contact.update({ where: { id }, data: { email: newEmail, title: null } });
    const before = hub.requests.length;
    const [again] = await pushAndSettle([id]);

    expect(again).toMatchObject({ crmSyncState: "synced", hubspotId });
    expect(hub.records.size).toBe(recordsBefore);
    expect(hub.records.get(hubspotId)).toMatchObject({ email: newEmail, company: "Acme Ltd", mobilephone: "+14155550199" });
    const sent = hub.requests.slice(before);
    expect(sent.map((r) => [r.kind, r.status])).toEqual([["update", 200]]);
    expect(sent[0].inputs[0]).toMatchObject({ id: hubspotId, properties: { email: newEmail } });
    expect(Object.values(sent[0].inputs[0].properties)).not.toContain("");
  });

  it("a linked contact whose email was removed in the app is still updated, and HubSpot keeps its email", async () => {
    const [id] = await contacts(1);
    const [first] = await pushAndSettle([id]);
    await getDb().contact.update({ where: { id }, data: { email: null, company: "Globex" } });
    const [again] = await pushAndSettle([id]);
    expect(again).toMatchObject({ crmSyncState: "synced", hubspotId: first.hubspotId });
    expect(hub.records.get(first.hubspotId!)).toMatchObject({ email: first.email, company: "Globex" });
  });

  for (const missingAs of ["207", "404"] as const) {
    it(`a record deleted in HubSpot (answered ${missingAs}) is made again by email; the others in the batch are updated`, async () => {
      const ids = await contacts(3);
      const first = await pushAndSettle(ids);
      const deleted = first.find((r) => r.id === ids[1])!;
      hub.deleteRecord(deleted.hubspotId!);
      hub.missingAs = missingAs;
      try {
        const again = await pushAndSettle(ids);
        expect(again.every((r) => r.crmSyncState === "synced")).toBe(true);
        const remade = again.find((r) => r.id === ids[1])!;
        expect(remade.hubspotId).not.toBe(deleted.hubspotId);
        expect(hub.records.get(remade.hubspotId!)).toMatchObject({ email: deleted.email });
        for (const i of [0, 2]) expect(again.find((r) => r.id === ids[i])!.hubspotId).toBe(first.find((r) => r.id === ids[i])!.hubspotId);
      } finally {
        hub.missingAs = "207";
      }
    });
  }

  it("an email that belongs to another HubSpot contact fails that contact with HubSpot's reason; the rest sync", async () => {
    const ids = await contacts(3);
    const first = await pushAndSettle(ids);
    await getDb().contact.update({ where: { id: ids[0] }, data: { email: first.find((r) => r.id === ids[2])!.email } });
    const again = await pushAndSettle(ids.slice(0, 2));
    const clash = again.find((r) => r.id === ids[0])!;
    expect(clash.crmSyncState).toBe("failed");
    expect(clash.crmSyncError).toMatch(/HubSpot 409: Contact already exists/);
    expect(again.find((r) => r.id === ids[1])!.crmSyncState).toBe("synced");
  });
});

describe("outgoing webhooks", () => {
  let server: http.Server;
  let url = "";
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let failNext = 0;
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(failNext-- > 0 ? 500 : 204).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("signs deliveries with HMAC-SHA256 over the timestamp and body", async () => {
    const hook = await callerFor(admin).integrations.webhooks.create({ url, events: ["contact.created"] });
    expect(hook.secret).toMatch(/^whsec_/);
    expect(await emitEvent(getDb(), "contact.created", { contact: { id: "c1", fullName: "Ann" } })).toBeGreaterThan(0);
    const got = await waitFor(async () => received.find((r) => r.body.includes('"c1"')), "delivery received");
    expect(got.headers["x-salesagent-event"]).toBe("contact.created");
    expect(verifySignature(hook.secret, got.body, String(got.headers["x-salesagent-signature"]))).toBe(true);
    expect(verifySignature("whsec_wrong", got.body, String(got.headers["x-salesagent-signature"]))).toBe(false);
    const deliveries = await callerFor(admin).integrations.webhooks.deliveries({ id: hook.id });
    await waitFor(async () => (await getDb().webhookDelivery.findUnique({ where: { id: deliveries[0].id } }))?.status === "SUCCEEDED", "delivery marked");
    await callerFor(admin).integrations.webhooks.delete({ id: hook.id });
  });

  it("retries with backoff, logs every attempt, and can be redelivered", async () => {
    const hook = await callerFor(admin).integrations.webhooks.create({ url, events: ["contact.updated"] });
    failNext = 2;
    await emitEvent(getDb(), "contact.updated", { contact: { id: "c2" } });
    const d = await waitFor(async () => {
      const [row] = await callerFor(admin).integrations.webhooks.deliveries({ id: hook.id });
      return row?.status === "SUCCEEDED" ? row : undefined;
    }, "delivered after retries", 30_000, 200);
    expect(d.attempts).toBe(3);
    expect(d.log.map((a) => a.statusCode)).toEqual([500, 500, 204]);

    await callerFor(admin).integrations.webhooks.redeliver({ id: d.id });
    await waitFor(async () => (await getDb().webhookAttempt.count({ where: { deliveryId: d.id } })) === 4, "redelivered");
    await callerFor(admin).integrations.webhooks.delete({ id: hook.id });
  });

  it("fires contact.created and contact.updated from the contacts API", async () => {
    const hook = await callerFor(admin).integrations.webhooks.create({ url, events: ["contact.created", "contact.updated"] });
    const c = await callerFor(rep).contacts.create({ fullName: "Webhook Watcher", email: `ww-${randomUUID()}@example.com` });
    await callerFor(rep).contacts.update({ id: c.id, title: "Head of Hooks", otherPhones: [{ type: "mobile", number: "+49 1522 8817889" }] });
    const events = await waitFor(async () => {
      const mine = received.filter((r) => r.body.includes(c.id)).map((r) => String(r.headers["x-salesagent-event"]));
      return mine.length >= 2 ? mine.sort() : undefined;
    }, "both contact events");
    expect(events).toEqual(["contact.created", "contact.updated"]);
    // The payload lists the other numbers: none at first, the mobile after the update.
    const bodies = received.filter((r) => r.body.includes(c.id)).map((r) => JSON.parse(r.body) as { event: string; data: { contact: { otherPhones: unknown } } });
    expect(bodies.find((b) => b.event === "contact.created")?.data.contact.otherPhones).toEqual([]);
    expect(bodies.find((b) => b.event === "contact.updated")?.data.contact.otherPhones).toEqual([{ type: "mobile", e164: "+4915228817889" }]);
    await callerFor(admin).integrations.webhooks.delete({ id: hook.id });
  });

  it("fires contact.created for every imported contact and contact.updated for every merged one, each once, even when the import's job runs again", async () => {
    const hook = await callerFor(admin).integrations.webhooks.create({ url, events: ["contact.created", "contact.updated"] });
    const tag = randomUUID().slice(0, 8);
    const existing = await callerFor(rep).contacts.create({ fullName: `Merged ${tag}`, email: `merged.${tag}@example.com` });
    const csv = ["Name,Email,Company", `Merged ${tag},merged.${tag}@example.com,Filled In ${tag}`, ...Array.from({ length: 5 }, (_, i) => `Imported ${tag} ${i},imp${i}.${tag}@example.com,Acme ${tag}`), `Bad Email ${tag},a@b,`].join("\n");
    const imp = await getDb().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "merge", content: csv, mapping: ["fullName", "email", "company"] } });
    await runImport(getDb(), imp.id, { chunkSize: 2 }); // several chunks, each with its own deliveries
    await runImport(getDb(), imp.id, { chunkSize: 2 }); // a re-delivered job: the import is DONE, nothing happens twice

    const imported = await getDb().contact.findMany({ where: { importId: imp.id }, select: { id: true } });
    expect(imported).toHaveLength(5);
    const expected = [...imported.map((c) => `contact.created ${c.id}`), `contact.updated ${existing.id}`].sort();
    const seen = await waitFor(async () => {
      const mine = received
        .map((r) => ({ event: String(r.headers["x-salesagent-event"]), body: JSON.parse(r.body) as { data: { contact: { id: string; company: string | null } } } }))
        .filter((r) => r.body.data.contact.id === existing.id ? r.event === "contact.updated" : imported.some((c) => c.id === r.body.data.contact.id));
      return mine.length >= expected.length ? mine : undefined;
    }, "every import event delivered");
    expect(seen.map((r) => `${r.event} ${r.body.data.contact.id}`).sort()).toEqual(expected);
    expect(seen.find((r) => r.body.data.contact.id === existing.id)?.body.data.contact.company).toBe(`Filled In ${tag}`);
    // One delivery row per event, none left undelivered.
    const rows = await getDb().webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(rows.filter((d) => d.event === "contact.created")).toHaveLength(6); // 5 imported + the contact created through the API
    expect(rows.filter((d) => d.event === "contact.updated")).toHaveLength(1);
    await waitFor(async () => (await getDb().webhookDelivery.count({ where: { webhookId: hook.id, status: { not: "SUCCEEDED" } } })) === 0, "all deliveries succeeded");
    await callerFor(admin).integrations.webhooks.delete({ id: hook.id });
  });

  it("refuses bad webhook URLs and reps", async () => {
    await expect(callerFor(admin).integrations.webhooks.create({ url: "ftp://x.example/hook", events: ["contact.created"] })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(callerFor(admin).integrations.webhooks.create({ url: "https://user:pw@x.example/hook", events: ["contact.created"] })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(callerFor(admin).integrations.webhooks.create({ url: "https://x.example/hook", events: [] })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(callerFor(rep).integrations.webhooks.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
