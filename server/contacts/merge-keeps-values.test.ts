// contacts.merge deletes one contact: what the merge did not choose (its email, title, address, its notes) is
// written into the kept contact's notes, not lost with it. Real database, through tRPC.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { FIELD_LIMITS } from "./normalize";

const today = () => new Date().toISOString().slice(0, 10);
const uniq = () => randomUUID().slice(0, 8);

describe("contacts.merge keeps the values it does not choose, in the notes", () => {
  it("the other email and the other contact's notes are added; blanks filled from the other are not repeated", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const u = uniq();
    const kept = await api.create({ fullName: `Mai Merge ${u}`, company: "MergeCo", email: `mai-${u}@mergeco.example`, notes: "Rob: met at Saigon expo" });
    const removed = await api.create({ fullName: `Mai Merge ${u}`, company: "MergeCo", email: `mai.private-${u}@gmail.example`, title: "Buyer", address: "12 Le Loi, Hanoi, Vietnam", notes: "Leaver: her assistant is Lan, call after 3pm" });
    const merged = await api.merge({ keepId: kept.id, removeId: removed.id, fields: {} });
    // The kept contact's blanks took the other's title and address: those are on the contact, not in the notes.
    expect(merged).toMatchObject({ email: `mai-${u}@mergeco.example`, title: "Buyer", address: "12 Le Loi, Hanoi, Vietnam" });
    expect(merged.notes).toBe(
      [
        "Rob: met at Saigon expo",
        `Merged on ${today()} with "Mai Merge ${u}": email mai.private-${u}@gmail.example`,
        `Notes of "Mai Merge ${u}": Leaver: her assistant is Lan, call after 3pm`,
      ].join("\n"),
    );
  });

  it("choosing the other's value keeps the replaced one in the notes; two contacts that agree add nothing", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const u = uniq();
    const a = await api.create({ fullName: `Anna Berg ${u}`, title: "Head of Sales", company: "Nordlicht" });
    const b = await api.create({ fullName: `anna berg ${u}`, title: "CEO", company: "NORDLICHT" });
    const merged = await api.merge({ keepId: a.id, removeId: b.id, fields: { title: "remove" } });
    expect(merged.title).toBe("CEO");
    // The names and companies differ only in case: nothing about them is added.
    expect(merged.notes).toBe(`Merged on ${today()} with "anna berg ${u}": title Head of Sales`);

    const c = await api.create({ fullName: `Same ${u}`, email: `same-${u}@example.com`, notes: "One note" });
    const d = await api.create({ fullName: `Same ${u}`, email: `SAME-${u}@example.com`, notes: "One note" });
    expect((await api.merge({ keepId: c.id, removeId: d.id, fields: {} })).notes).toBe("One note");
  });

  it("notes near the limit: what is added is cut to fit (ending in …), and the merge succeeds", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const u = uniq();
    const long = "x".repeat(FIELD_LIMITS.notes - 20);
    const a = await api.create({ fullName: `Long ${u}`, email: `long-${u}@example.com`, notes: long });
    const b = await api.create({ fullName: `Long ${u}`, email: `other-${u}@example.com`, notes: "y".repeat(5_000) });
    const merged = await api.merge({ keepId: a.id, removeId: b.id, fields: {} });
    expect(merged.notes!.length).toBe(FIELD_LIMITS.notes);
    expect(merged.notes!.startsWith(`${long}\nMerged on`)).toBe(true);
    expect(merged.notes!.endsWith("…")).toBe(true);
    // Full notes: nothing can be added, and nothing of the kept notes is cut.
    const full = "z".repeat(FIELD_LIMITS.notes);
    const e = await api.create({ fullName: `Full ${u}`, email: `full-${u}@example.com`, notes: full });
    const f = await api.create({ fullName: `Full ${u}`, email: `full2-${u}@example.com` });
    expect((await api.merge({ keepId: e.id, removeId: f.id, fields: {} })).notes).toBe(full);
  });

  it("notes near the limit and more than 10 other numbers between the two: the numbers past 10 are cut to fit too", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const u = uniq();
    const numbers = (base: number) => Array.from({ length: 10 }, (_, i) => ({ type: "work" as const, number: `+1 212 555 ${String(base + i).padStart(4, "0")}` }));
    const a = await api.create({ fullName: `Many ${u}`, notes: "n".repeat(FIELD_LIMITS.notes - 10), otherPhones: numbers(1000) });
    const b = await api.create({ fullName: `Many ${u}`, otherPhones: numbers(2000) });
    const merged = await api.merge({ keepId: a.id, removeId: b.id, fields: {} });
    expect(merged.otherPhones).toHaveLength(10);
    expect(merged.notes!.length).toBeLessThanOrEqual(FIELD_LIMITS.notes);
    expect(merged.notes!.endsWith("…")).toBe(true);
    // The contact can still be saved afterwards (its notes are within the limit).
    expect((await api.update({ id: a.id, title: "Buyer", notes: merged.notes })).title).toBe("Buyer");
  });
});

describe("contacts.merge and owners", () => {
  it("an admin choosing the removed contact's owner when that owner is disabled: 422 on ownerId, nothing merged", async () => {
    const admin = await makeUser("ADMIN");
    const leaver = await makeUser("REP");
    const u = uniq();
    const kept = await callerFor(admin).contacts.create({ fullName: `Owner Keep ${u}` });
    const removed = await callerFor(leaver).contacts.create({ fullName: `Owner Keep ${u}` });
    await callerFor(admin).users.setDisabled({ id: leaver.id, disabled: true });
    const e = await callerFor(admin).contacts.merge({ keepId: kept.id, removeId: removed.id, fields: { ownerId: "remove" } }).then(() => null, (err: { code: string; message: string }) => err);
    expect(e?.code).toBe("UNPROCESSABLE_CONTENT");
    expect(e?.message).toMatch(/is disabled and cannot own contacts/);
    expect(await callerFor(admin).contacts.get({ id: removed.id })).toMatchObject({ id: removed.id });
    // Keeping the admin's own owner works.
    expect((await callerFor(admin).contacts.merge({ keepId: kept.id, removeId: removed.id, fields: {} })).ownerId).toBe(admin.id);
  });
});

describe("contacts.merge tells webhook subscribers", () => {
  it("a contact.updated event with the kept contact's merged values and the id of the contact gone into it", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const u = uniq();
    const kept = await api.create({ fullName: `Hook Merge ${u}`, email: `hook-${u}@mergeco.example` });
    const removed = await api.create({ fullName: `Hook Merge ${u}`, title: "Buyer" });
    const hook = await db().webhook.create({ data: { url: "http://127.0.0.1:9/never", events: ["contact.updated"], secret: "whsec_test" } });
    try {
      await api.merge({ keepId: kept.id, removeId: removed.id, fields: {} });
      const deliveries = await db().webhookDelivery.findMany({ where: { webhookId: hook.id } });
      expect(deliveries.map((d) => d.event)).toEqual(["contact.updated"]);
      const data = (deliveries[0].payload as { data: { contact: { id: string; title: string | null }; mergedFrom: string[] } }).data;
      expect({ id: data.contact.id, title: data.contact.title, mergedFrom: data.mergedFrom }).toEqual({ id: kept.id, title: "Buyer", mergedFrom: [removed.id] });
    } finally {
      await db().webhook.delete({ where: { id: hook.id } });
    }
  });
});
