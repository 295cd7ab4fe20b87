// Duplicate detection (findDuplicateContacts, contacts.duplicates) and contacts.merge.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { findDuplicateContacts } from "./find-duplicates";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);

describe("findDuplicateContacts", () => {
  it("finds the same email ignoring case, the same phone in any format, and the same name + company ignoring accents and punctuation", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const byEmail = await db().contact.create({ data: { fullName: "E Mail", email: `Ann.${u}@Example.com`, ownerId: rep.id } });
    const byPhone = await db().contact.create({ data: { fullName: "P Hone", phone: `+8491${u.replace(/\D/g, "").padEnd(7, "7").slice(0, 7)}`, ownerId: rep.id } });
    const byName = await db().contact.create({ data: { fullName: "Nguyễn  Văn An", company: `Sao Mai, ${u} Ltd.`, ownerId: rep.id } });

    const e = await findDuplicateContacts(db(), { email: ` ann.${u}@EXAMPLE.com ` });
    expect(e.map((c) => [c.id, c.reasons])).toEqual([[byEmail.id, ["email"]]]);

    const local = byPhone.phone!.replace("+84", "0084 ");
    const p = await findDuplicateContacts(db(), { phone: local });
    expect(p.map((c) => c.id)).toEqual([byPhone.id]);

    const n = await findDuplicateContacts(db(), { fullName: "nguyen van an", company: `sao mai ${u} ltd` });
    expect(n.map((c) => [c.id, c.reasons])).toEqual([[byName.id, ["name_company"]]]);
    expect(await findDuplicateContacts(db(), { fullName: "nguyen van an", company: "Other Co" })).toEqual([]);
    expect(await findDuplicateContacts(db(), { fullName: "nguyen van an", company: `sao mai ${u} ltd` }, { excludeId: byName.id })).toEqual([]);
    expect(await findDuplicateContacts(db(), {})).toEqual([]);
  });
});

describe("contacts.duplicates and contacts.merge", () => {
  it("lists likely pairs with their reasons, including a similar name at the same company", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const api = callerFor(rep).contacts;
    const a = await api.create({ fullName: "Jonathan Smith", company: `Dup ${u}`, email: `js.${u}@x.example` });
    const b = await api.create({ fullName: "Jonathon Smith", company: `Dup ${u}`, email: `JS.${u}@X.example` });
    const c = await api.create({ fullName: "Jonathan Smyth", company: `Dup ${u}` });
    const pairs = await api.duplicates({ search: `dup ${u}` });
    const find = (x: string, y: string) => pairs.find((p) => [p.a.id, p.b.id].sort().join() === [x, y].sort().join());
    expect(find(a.id, b.id)?.reasons).toEqual(expect.arrayContaining(["email", "name_company"]));
    expect(find(a.id, c.id)?.reasons).toEqual(["name_company"]);
    expect(find(a.id, b.id)?.a.id).toBe(a.id);
  });

  it("merges field by field, moves tags and deletes the other contact in one transaction", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const keep = await api.create({ fullName: "Ann Lee", company: "Old Co", email: "ann@old.example", tags: ["a", "shared"] });
    const remove = await api.create({ fullName: "Ann Lee-Smith", company: "New Co", phone: "+14155550100", tags: ["b", "shared"] });
    const merged = await api.merge({ keepId: keep.id, removeId: remove.id, fields: { company: "remove", phone: "remove", fullName: "keep" } });
    expect(merged).toMatchObject({ id: keep.id, fullName: "Ann Lee", company: "New Co", email: "ann@old.example", phone: "+14155550100" });
    expect(merged.tags.sort()).toEqual(["a", "b", "shared"]);
    await expect(api.get({ id: remove.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.merge({ keepId: keep.id, removeId: keep.id })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.merge({ keepId: keep.id, removeId: remove.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a rep cannot merge a contact owned by someone else; an admin can", async () => {
    const [ann, bob, admin] = [await makeUser("REP"), await makeUser("REP"), await makeUser("ADMIN")];
    const mine = await callerFor(ann).contacts.create({ fullName: "Mine" });
    const theirs = await callerFor(bob).contacts.create({ fullName: "Theirs" });
    await expect(callerFor(ann).contacts.merge({ keepId: mine.id, removeId: theirs.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await callerFor(bob).contacts.get({ id: theirs.id })).id).toBe(theirs.id);
    const merged = await callerFor(admin).contacts.merge({ keepId: mine.id, removeId: theirs.id, fields: { ownerId: "remove" } });
    expect(merged.ownerId).toBe(bob.id);
  });
});
