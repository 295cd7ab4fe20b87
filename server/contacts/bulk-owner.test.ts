// Handing contacts over (a rep leaves): contacts.bulkSetOwner for admins, the active-owner rule of create /
// update, and the owner list marking disabled users. Real database, through the tRPC caller.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { AppError } from "../errors";
import type { Actor } from "../trpc/context";
import { bulkSetOwner } from "./bulk-contacts";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);
const disable = (u: Actor) => db().user.update({ where: { id: u.id }, data: { disabledAt: new Date() } });
const ownersOf = async (ids: string[]) => (await db().contact.findMany({ where: { id: { in: ids } }, orderBy: { fullName: "asc" } })).map((c) => c.ownerId);
const auditRows = (actor: Actor) => db().auditEvent.findMany({ where: { actorId: actor.id, action: "contacts.bulkSetOwner" } });

async function failure(p: Promise<unknown>) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCError);
  const err = e as TRPCError;
  return { code: err.code, message: err.message, fieldErrors: (err.cause instanceof AppError ? err.cause.details?.fieldErrors : undefined) as Record<string, string[]> | undefined };
}

async function leaverWithContacts(n: number) {
  const leaver = await makeUser("REP");
  const u = uniq();
  const contacts = await Promise.all(Array.from({ length: n }, (_, i) => db().contact.create({ data: { fullName: `Handover ${u} ${i}`, ownerId: leaver.id } })));
  await disable(leaver);
  return { leaver, ids: contacts.map((c) => c.id) };
}

describe("contacts.bulkSetOwner", () => {
  it("an admin hands a disabled rep's contacts to an active rep, who can then edit them; the audit log names count and owner", async () => {
    const admin = await makeUser("ADMIN");
    const heir = await makeUser("REP", { name: "Heir Rep" });
    const { leaver, ids } = await leaverWithContacts(2);
    const r = await callerFor(admin).contacts.bulkSetOwner({ ids, ownerId: heir.id });
    expect(r).toEqual({ updated: 2, unchanged: 0, missing: 0, ownerName: "Heir Rep", ownerEmail: heir.email });
    expect(await ownersOf(ids)).toEqual([heir.id, heir.id]);
    expect((await callerFor(heir).contacts.get({ id: ids[0] })).canEdit).toBe(true);
    expect((await callerFor(admin).contacts.list({ ownerId: leaver.id })).items).toEqual([]);
    const [row, ...more] = await auditRows(admin);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actorEmail: admin.email, targetId: null, targetLabel: `2 contacts → ${heir.email}` });
    expect(row.details).toMatchObject({ input: { ids, ownerId: heir.id }, result: { updated: 2, unchanged: 0, missing: 0 } });
  });

  it("1,001 ids: 422 before anything moves; 1,000 ids of contacts that do not exist: nothing to move, no error", async () => {
    const admin = await makeUser("ADMIN");
    const heir = await makeUser("REP");
    const { ids } = await leaverWithContacts(1);
    const tooMany = [...ids, ...Array.from({ length: 1000 }, () => randomUUID())];
    const f = await failure(callerFor(admin).contacts.bulkSetOwner({ ids: tooMany, ownerId: heir.id }));
    expect(f.code).toBe("UNPROCESSABLE_CONTENT");
    expect(await ownersOf(ids)).not.toContain(heir.id);
    expect(await auditRows(admin)).toEqual([]);
    const ghosts = Array.from({ length: 1000 }, () => randomUUID());
    expect(await callerFor(admin).contacts.bulkSetOwner({ ids: ghosts, ownerId: heir.id })).toMatchObject({ updated: 0, unchanged: 0, missing: 1000 });
  });

  it("an unknown owner: 422 on ownerId, nothing moves, no audit row", async () => {
    const admin = await makeUser("ADMIN");
    const { leaver, ids } = await leaverWithContacts(2);
    const f = await failure(callerFor(admin).contacts.bulkSetOwner({ ids, ownerId: randomUUID() }));
    expect(f).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: "The new owner does not exist", fieldErrors: { ownerId: ["unknown user"] } });
    expect(await ownersOf(ids)).toEqual([leaver.id, leaver.id]);
    expect(await auditRows(admin)).toEqual([]);
  });

  it("a disabled owner: 422 naming them as disabled, nothing moves", async () => {
    const admin = await makeUser("ADMIN");
    const gone = await makeUser("REP", { name: "Gone Too" });
    await disable(gone);
    const { leaver, ids } = await leaverWithContacts(2);
    const f = await failure(callerFor(admin).contacts.bulkSetOwner({ ids, ownerId: gone.id }));
    expect(f.code).toBe("UNPROCESSABLE_CONTENT");
    expect(f.message).toBe(`Gone Too (${gone.email}) is disabled and cannot own contacts: choose an active user`);
    expect(f.fieldErrors).toEqual({ ownerId: ["this user is disabled"] });
    expect(await ownersOf(ids)).toEqual([leaver.id, leaver.id]);
  });

  it("a rep: 403 (router and domain function), nothing moves, no audit row", async () => {
    const rep = await makeUser("REP");
    const ids = [(await db().contact.create({ data: { fullName: `Rep own ${uniq()}`, ownerId: rep.id } })).id];
    const other = await makeUser("REP");
    expect((await failure(callerFor(rep).contacts.bulkSetOwner({ ids, ownerId: other.id }))).code).toBe("FORBIDDEN");
    await expect(bulkSetOwner(db(), rep, { ids, ownerId: other.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await failure(callerFor(null).contacts.bulkSetOwner({ ids, ownerId: other.id }))).code).toBe("UNAUTHORIZED");
    expect(await ownersOf(ids)).toEqual([rep.id]);
    expect(await auditRows(rep)).toEqual([]);
  });

  it("ids of deleted contacts, repeated ids and contacts the owner has already: counted apart, the rest moved", async () => {
    const admin = await makeUser("ADMIN");
    const heir = await makeUser("REP");
    const { ids } = await leaverWithContacts(3);
    const [moving, deleted, already] = ids;
    await db().contact.delete({ where: { id: deleted } });
    await db().contact.update({ where: { id: already }, data: { ownerId: heir.id } });
    const r = await callerFor(admin).contacts.bulkSetOwner({ ids: [moving, moving, deleted, already], ownerId: heir.id });
    expect(r).toMatchObject({ updated: 1, unchanged: 1, missing: 1 });
    expect(await ownersOf([moving, already])).toEqual([heir.id, heir.id]);
    expect(await db().contact.findUnique({ where: { id: deleted } })).toBeNull();
  });

  it("each moved contact is a contact.updated webhook event with the new owner", async () => {
    const admin = await makeUser("ADMIN");
    const heir = await makeUser("REP");
    const hook = await db().webhook.create({ data: { url: "http://127.0.0.1:9/never", events: ["contact.updated"], secret: "whsec_test" } });
    try {
      const { ids } = await leaverWithContacts(2);
      await callerFor(admin).contacts.bulkSetOwner({ ids, ownerId: heir.id });
      const deliveries = await db().webhookDelivery.findMany({ where: { webhookId: hook.id } });
      expect(deliveries.map((d) => d.event)).toEqual(["contact.updated", "contact.updated"]);
      const payloads = deliveries.map((d) => (d.payload as { data: { contact: { id: string; ownerId: string } } }).data.contact);
      expect(new Set(payloads.map((p) => p.id))).toEqual(new Set(ids));
      expect(payloads.every((p) => p.ownerId === heir.id)).toBe(true);
    } finally {
      await db().webhook.delete({ where: { id: hook.id } });
    }
  });
});

describe("create / update refuse a disabled owner", () => {
  it("contacts.create and contacts.update with a disabled user as new owner: 422 naming the reason", async () => {
    const admin = await makeUser("ADMIN");
    const gone = await makeUser("REP", { name: "Left Rep" });
    await disable(gone);
    const api = callerFor(admin).contacts;
    const created = await failure(api.create({ fullName: "For a leaver", ownerId: gone.id }));
    expect(created).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("is disabled"), fieldErrors: { ownerId: ["this user is disabled"] } });
    const c = await api.create({ fullName: `Mine ${uniq()}` });
    const updated = await failure(api.update({ id: c.id, ownerId: gone.id }));
    expect(updated).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: `Left Rep (${gone.email}) is disabled and cannot own contacts: choose an active user` });
    expect((await db().contact.findUniqueOrThrow({ where: { id: c.id } })).ownerId).toBe(admin.id);
  });

  it("a leaver's contact still saves when its owner is not changed", async () => {
    const admin = await makeUser("ADMIN");
    const { leaver, ids } = await leaverWithContacts(1);
    const saved = await callerFor(admin).contacts.update({ id: ids[0], title: "Head of Sales", ownerId: leaver.id });
    expect(saved).toMatchObject({ title: "Head of Sales", ownerId: leaver.id });
  });
});

describe("contacts.owners", () => {
  it("lists disabled users too, marked disabled, for the owner filter", async () => {
    const rep = await makeUser("REP");
    const active = await makeUser("REP");
    const { leaver } = await leaverWithContacts(0);
    const owners = await callerFor(rep).contacts.owners();
    expect(owners.find((o) => o.id === leaver.id)).toMatchObject({ disabled: true, email: leaver.email });
    expect(owners.find((o) => o.id === active.id)).toMatchObject({ disabled: false });
    expect(Object.keys(owners[0]).sort()).toEqual(["disabled", "email", "id", "name"]);
  });
});
