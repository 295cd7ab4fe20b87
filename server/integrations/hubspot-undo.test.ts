// A HubSpot push is not an edit: its sync bookkeeping (pending / synced / failed, hubspotId) leaves
// Contact."updatedAt" alone, so "Undo this import" still deletes imported contacts that were only pushed, while a
// real edit still keeps a contact. Real worker, database and queue, a local HubSpot fake.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { startFakeHubspot, type FakeHubspot } from "../testing/fake-hubspot";
import { usePrivateDatabaseAndPrefix } from "../testing/private-queue-file";

// Its own database and queue prefix: a HubSpot push job is done by whichever worker takes it, and only this file's
// worker talks to this file's HubSpot fake; a worker another file spawned took it to its own (or closed) fake, and the
// contacts stayed pending past the test's timeout. The token is one row, which other files save too.
const { cleanUp } = await usePrivateDatabaseAndPrefix("hubspot_undo");
const hub: FakeHubspot = await startFakeHubspot();
Object.assign(process.env, { HUBSPOT_API_BASE: hub.basePath, INTEGRATION_RETRY_BASE_MS: "100" });

const { getDb } = await import("../db");
const { callerFor, makeUser } = await import("../testing/fixtures");
const { importText } = await import("../testing/imports");
const { spawnWorker, waitFor } = await import("../testing/worker-process");

type Actor = Awaited<ReturnType<typeof makeUser>>;
let admin: Actor;
let worker: ReturnType<typeof spawnWorker>;

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  worker = spawnWorker();
  await callerFor(admin).integrations.hubspot.saveToken({ token: "pat-na1-66666666-7777-8888-9999-000000000000" });
});
afterAll(async () => {
  await worker.stop("SIGTERM");
  await hub.close();
  await cleanUp();
});

/** Imports the rows, pushes the contacts to HubSpot and waits until the push settled. */
async function importAndPush(rows: string[]) {
  const { id } = await importText(admin, ["Name,Email", ...rows].join("\n"), { fileName: "wrong.csv" });
  const before = await getDb().contact.findMany({ where: { importId: id }, orderBy: { fullName: "asc" } });
  await callerFor(admin).integrations.hubspot.push({ contactIds: before.map((c) => c.id) });
  const after = await waitFor(async () => {
    const rs = await getDb().contact.findMany({ where: { importId: id }, orderBy: { fullName: "asc" } });
    return rs.every((r) => r.crmSyncState === "synced" || r.crmSyncState === "failed") ? rs : undefined;
  }, "push settled", 60_000, 200);
  return { id, before, after };
}

describe("undo after a HubSpot push", () => {
  it("deletes the contacts that were only pushed, synced or failed", async () => {
    const u = randomUUID().slice(0, 8);
    const { id, before, after } = await importAndPush([`Ann ${u},ann-${u}@example.com`, `Bo ${u},bo-${u}@example.com`, `Cy ${u},`]);
    // Ann and Bo synced; Cy, without an email, failed (HubSpot matches by email).
    expect(after.map((c) => [c.crmSyncState, Boolean(c.hubspotId), c.crmSyncedAt !== null])).toEqual([
      ["synced", true, true], ["synced", true, true], ["failed", false, false],
    ]);
    expect(after.map((c) => c.updatedAt.toISOString())).toEqual(before.map((c) => c.updatedAt.toISOString()));
    expect(await callerFor(admin).imports.undo({ id })).toEqual({ deleted: 3, keptChanged: 0, merged: 0 });
  });

  it("still keeps a pushed contact that a person edited", async () => {
    const u = randomUUID().slice(0, 8);
    const { id, after } = await importAndPush([`Dee ${u},dee-${u}@example.com`, `Eve ${u},eve-${u}@example.com`]);
    await callerFor(admin).contacts.update({ id: after[0].id, title: "Buyer" });
    expect(await callerFor(admin).imports.undo({ id })).toEqual({ deleted: 1, keptChanged: 1, merged: 0 });
    expect((await getDb().contact.findMany({ where: { importId: id } })).map((c) => c.fullName)).toEqual([`Dee ${u}`]);
  });
});
