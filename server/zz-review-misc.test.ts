import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "./testing/fixtures";
import { runImport } from "./imports/run-import";
import { previewImport } from "./imports/preview-import";

const u = () => randomUUID().slice(0, 8);

describe("review", () => {
  it("merge: notes past 10,000 when other numbers overflow", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const id = u();
    const nums = (base: number) => Array.from({ length: 10 }, (_, i) => ({ type: "work" as const, number: `+1 202 55${base} ${String(1000 + i)}` }));
    const a = await api.create({ fullName: `Over ${id}`, email: `a-${id}@x.example`, notes: "x".repeat(9_990), otherPhones: nums(1) });
    const b = await api.create({ fullName: `Over ${id}`, email: `b-${id}@x.example`, notes: "other notes here", otherPhones: nums(2) });
    const m = await api.merge({ keepId: a.id, removeId: b.id, fields: {} });
    console.log("merged notes length", m.notes?.length);
    // Now try to save the contact as the page would (sending notes back)
    const r = await api.update({ id: a.id, notes: m.notes }).then(() => "ok", (e) => `ERR ${e.code} ${e.message}`);
    console.log("resave", r);
    expect(m.notes!.length).toBeLessThanOrEqual(10_000);
  });

  it("phoneDigits collision: +49 30 123456 ext 7890 vs +49 30 1234567890", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const id = u();
    const a = await api.create({ fullName: `Kim ${id}`, phone: "+49 30 123456 ext. 7890" });
    const b = await api.create({ fullName: `Kim ${id}`, phone: "+49 30 1234567890" });
    console.log(a.phone, b.phone);
    const d = await api.duplicatesOf({ fullName: `Kim ${id}`, phone: "+49 30 1234567890", excludeId: b.id }); const pairs = await api.duplicates({ search: id });
    console.log("pairs", JSON.stringify(pairs.map((p) => [p.a.phone, p.b.phone, p.reasons])));
    console.log("dups", JSON.stringify(d).slice(0, 300));
    const list = await api.list({ search: "+49 30 1234567890" } as never);
    console.log("search hits", list.items.map((c: { phone: string | null }) => c.phone));
  });

  it("undo: a contact edited while the import ran is deleted", async () => {
    const rep = await makeUser("REP");
    const id = u();
    const text = ["Name,Email", `Ed ${id},ed-${id}@x.example`, `Flo ${id},flo-${id}@x.example`].join("\n");
    const preview = previewImport({ text });
    const row = await db().contactImport.create({ data: { userId: rep.id, format: preview.kind, onDuplicate: "skip", content: text, mapping: preview.mapping as never } });
    await runImport(db(), row.id, { chunkSize: 1 });
    const imp = await db().contactImport.findUniqueOrThrow({ where: { id: row.id } });
    const ed = await db().contact.findFirstOrThrow({ where: { email: `ed-${id}@x.example` } });
    // Simulate: rep edited Ed while the import was still running (before finishedAt)
    await db().contact.update({ where: { id: ed.id }, data: { notes: "called him, hot lead", updatedAt: new Date(imp.finishedAt!.getTime() - 10) } });
    // and another edit 0.5 s after the import finished
    const flo = await db().contact.findFirstOrThrow({ where: { email: `flo-${id}@x.example` } });
    await db().contact.update({ where: { id: flo.id }, data: { notes: "edited right after", updatedAt: new Date(imp.finishedAt!.getTime() + 500) } });
    const r = await callerFor(rep).imports.undo({ id: row.id });
    console.log("undo", r);
    expect(await db().contact.count({ where: { id: { in: [ed.id, flo.id] } } })).toBe(2);
  });
});
