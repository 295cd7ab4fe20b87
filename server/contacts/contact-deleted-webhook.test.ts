// Every way a contact goes is a contact.deleted webhook event, so a CRM sync can drop it: a delete, a bulk delete,
// a merge (with the contact it went into) and an undone import. Real database, through tRPC and the import runner.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { importText } from "../testing/imports";

type Deleted = { contact: { id: string; fullName: string; email: string | null; otherPhones: unknown[] }; reason: string; mergedInto?: string };

let hookId: string;
beforeAll(async () => {
  hookId = (await db().webhook.create({ data: { url: "http://127.0.0.1:9/never", events: ["contact.deleted"], secret: "whsec_test" } })).id;
});
afterAll(async () => {
  await db().webhook.delete({ where: { id: hookId } });
});

/** This webhook's contact.deleted events for these contacts (other test files delete contacts meanwhile). */
async function deletedEvents(ids: string[]): Promise<Deleted[]> {
  const rows = await db().webhookDelivery.findMany({ where: { webhookId: hookId }, orderBy: { createdAt: "asc" } });
  expect(rows.every((r) => r.event === "contact.deleted")).toBe(true);
  return rows.map((r) => (r.payload as { data: Deleted }).data).filter((d) => ids.includes(d.contact.id));
}
const u = () => randomUUID().slice(0, 8);

describe("contact.deleted webhook events", () => {
  it("contacts.delete: one event with the contact as it was; deleting it again sends nothing", async () => {
    const rep = await makeUser("REP");
    const c = await callerFor(rep).contacts.create({ fullName: `Gone ${u()}`, email: `gone-${u()}@example.com` });
    await callerFor(rep).contacts.delete({ id: c.id });
    await expect(callerFor(rep).contacts.delete({ id: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await deletedEvents([c.id])).toEqual([{ contact: expect.objectContaining({ id: c.id, fullName: c.fullName, email: c.email, otherPhones: [] }), reason: "deleted" }]);
  });

  it("contacts.bulkDelete: one event per contact deleted, none for an id that was not there", async () => {
    const admin = await makeUser("ADMIN");
    const a = await callerFor(admin).contacts.create({ fullName: `Bulk A ${u()}` });
    const b = await callerFor(admin).contacts.create({ fullName: `Bulk B ${u()}` });
    const missing = randomUUID();
    expect(await callerFor(admin).contacts.bulkDelete({ ids: [a.id, b.id, missing] })).toEqual({ deleted: 2 });
    const events = await deletedEvents([a.id, b.id, missing]);
    expect(events.map((e) => [e.contact.id, e.reason]).sort()).toEqual([[a.id, "deleted"], [b.id, "deleted"]].sort());
  });

  it("contacts.merge: the removed contact is an event with reason merged and the contact it went into", async () => {
    const admin = await makeUser("ADMIN");
    const name = `Merge Gone ${u()}`;
    const keep = await callerFor(admin).contacts.create({ fullName: name });
    const remove = await callerFor(admin).contacts.create({ fullName: name, title: "Buyer" });
    await callerFor(admin).contacts.merge({ keepId: keep.id, removeId: remove.id, fields: {} });
    expect(await deletedEvents([keep.id, remove.id])).toEqual([{ contact: expect.objectContaining({ id: remove.id, title: "Buyer" }), reason: "merged", mergedInto: keep.id }]);
  });

  it("imports.undo: each contact it deletes is an event with reason import_undone", async () => {
    const rep = await makeUser("REP");
    const t = u();
    const { id } = await importText(rep, ["Name,Email", `Ann ${t},ann-${t}@example.com`, `Bo ${t},bo-${t}@example.com`].join("\n"), { fileName: "people.csv" });
    const created = await db().contact.findMany({ where: { importId: id }, select: { id: true } });
    expect(created).toHaveLength(2);
    expect(await callerFor(rep).imports.undo({ id })).toMatchObject({ deleted: 2 });
    const events = await deletedEvents(created.map((c) => c.id));
    expect(events.map((e) => e.reason)).toEqual(["import_undone", "import_undone"]);
    expect(events.map((e) => e.contact.email).sort()).toEqual([`ann-${t}@example.com`, `bo-${t}@example.com`]);
  });
});
