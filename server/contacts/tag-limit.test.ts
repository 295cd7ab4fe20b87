// The 30-tag limit (FIELD_LIMITS.tags) on every contacts.* path that writes tags, on the real database:
// bulkTag leaves full contacts untagged and names them, merge refuses to go past the limit, and create / update
// answer a 422 on the `tags` field saying how many to remove (so a contact with too many tags from old data can
// be saved by removing some).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { AppError } from "../errors";
import { FIELD_LIMITS } from "./normalize";
import { bulkTag } from "./bulk-contacts";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);
const tagsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const tagsNow = async (id: string) => (await db().contact.findUniqueOrThrow({ where: { id } })).tags;

/** The error a caller threw, and the field errors a client would read (zod: the issues; domain: details). */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; fieldErrors: Record<string, string[]> }> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCError);
  const err = e as TRPCError;
  const fieldErrors: Record<string, string[]> = {};
  if (err.cause instanceof AppError) Object.assign(fieldErrors, (err.cause.details?.fieldErrors ?? {}) as Record<string, string[]>);
  const issues = (err.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues ?? [];
  for (const i of issues) (fieldErrors[i.path.map(String).join(".")] ??= []).push(i.message);
  return { code: err.code, message: err.message, fieldErrors };
}

describe("bulkTag and the 30-tag limit", () => {
  it("with nothing full, the answer is just the count, as before", async () => {
    const rep = await makeUser("REP");
    const c = await db().contact.create({ data: { fullName: "Room", ownerId: rep.id, tags: tagsOf("r", 29) } });
    expect(await callerFor(rep).contacts.bulkTag({ ids: [c.id], tag: "last" })).toEqual({ updated: 1 });
  });

  it("a contact with 30 tags is left without the new tag and counted; the rest of the selection is tagged", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const u = uniq();
    const full = await db().contact.create({ data: { fullName: `Full ${u}`, ownerId: rep.id, tags: tagsOf(u, FIELD_LIMITS.tags) } });
    const almost = await db().contact.create({ data: { fullName: `Almost ${u}`, ownerId: rep.id, tags: tagsOf(u, FIELD_LIMITS.tags - 1) } });
    const empty = await db().contact.create({ data: { fullName: `Empty ${u}`, ownerId: rep.id } });
    const r = await callerFor(admin).contacts.bulkTag({ ids: [full.id, almost.id, empty.id], tag: "Spring Launch" });
    expect(r).toEqual({ updated: 2, skippedFull: 1, skippedFullIds: [full.id] });
    expect(await tagsNow(full.id)).toEqual(tagsOf(u, 30));
    expect(await tagsNow(almost.id)).toEqual([...tagsOf(u, 29), "spring launch"]);
    expect((await tagsNow(almost.id)).length).toBe(FIELD_LIMITS.tags);
    expect(await tagsNow(empty.id)).toEqual(["spring launch"]);
    // Tagging again: the almost-full contact is now full but already has the tag, so it is neither tagged nor "full".
    expect(await callerFor(admin).contacts.bulkTag({ ids: [full.id, almost.id, empty.id], tag: "spring launch" })).toEqual({ updated: 0, skippedFull: 1, skippedFullIds: [full.id] });
  });

  it("a contact with more than 30 tags from old data is skipped too, and removing a tag from a full contact still works", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const over = await db().contact.create({ data: { fullName: `Over ${u}`, ownerId: rep.id, tags: tagsOf(u, 35) } });
    // A rep on their own contacts gets the same answer.
    expect(await callerFor(rep).contacts.bulkTag({ ids: [over.id], tag: "new" })).toEqual({ updated: 0, skippedFull: 1, skippedFullIds: [over.id] });
    expect((await tagsNow(over.id)).length).toBe(35);
    expect(await callerFor(rep).contacts.bulkTag({ ids: [over.id], tag: `${u}-0`, remove: true })).toEqual({ updated: 1 });
    expect((await tagsNow(over.id)).length).toBe(34);
  });

  it("a full selection of 1,000 contacts: none tagged, all named", async () => {
    const admin = await makeUser("ADMIN");
    const u = uniq();
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    await db().contact.createMany({ data: ids.map((id, i) => ({ id, fullName: `Bulk ${u} ${i}`, ownerId: admin.id, tags: tagsOf(u, 30) })) });
    const r = await bulkTag(db(), admin, { ids, tag: "one-more" });
    expect(r.updated).toBe(0);
    expect(r.skippedFull).toBe(1000);
    expect(new Set(r.skippedFullIds)).toEqual(new Set(ids));
    expect(await db().contact.count({ where: { id: { in: ids }, tags: { has: "one-more" } } })).toBe(0);
    await db().contact.deleteMany({ where: { id: { in: ids } } });
  });
});

describe("bulkTag takes one tag", () => {
  it.each(["emea, q3", "a;b", "x|y"])("%j is refused with 422 (a separator would make it several tags), and nothing is tagged", async (tag) => {
    const rep = await makeUser("REP");
    const c = await callerFor(rep).contacts.create({ fullName: `One tag ${randomUUID().slice(0, 6)}` });
    const e = await callerFor(rep).contacts.bulkTag({ ids: [c.id], tag }).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(TRPCError);
    expect((e as TRPCError).code).toBe("UNPROCESSABLE_CONTENT");
    const issues = ((e as TRPCError).cause as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    expect(issues.map((i) => [i.path.join("."), i.message])).toEqual([["tag", "One tag at a time: a tag cannot contain , ; or | (they separate tags)"]]);
    expect((await db().contact.findUniqueOrThrow({ where: { id: c.id } })).tags).toEqual([]);
  });
});

describe("merge and the 30-tag limit", () => {
  it("two contacts with 20 different tags each: 422 on tags naming 40 and how many to remove; nothing is merged", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const keep = await db().contact.create({ data: { fullName: `Keep ${u}`, ownerId: rep.id, tags: tagsOf(`${u}a`, 20) } });
    const remove = await db().contact.create({ data: { fullName: `Remove ${u}`, ownerId: rep.id, tags: tagsOf(`${u}b`, 20) } });
    const f = await failure(callerFor(rep).contacts.merge({ keepId: keep.id, removeId: remove.id, fields: { fullName: "remove" } }));
    expect(f.code).toBe("UNPROCESSABLE_CONTENT");
    expect(f.message).toBe("A contact can have at most 30 tags; together these two contacts have 40. Remove 10 tags from either contact, then merge.");
    expect(f.fieldErrors.tags).toEqual([f.message]);
    // Rolled back: both contacts as they were.
    expect(await db().contact.findUnique({ where: { id: remove.id } })).not.toBeNull();
    expect(await db().contact.findUniqueOrThrow({ where: { id: keep.id } })).toMatchObject({ fullName: `Keep ${u}`, tags: tagsOf(`${u}a`, 20) });
    // After removing 10 tags from one of them, the merge goes through with exactly 30.
    await callerFor(rep).contacts.update({ id: remove.id, tags: tagsOf(`${u}b`, 10) });
    const merged = await callerFor(rep).contacts.merge({ keepId: keep.id, removeId: remove.id });
    expect(merged.tags).toEqual([...tagsOf(`${u}a`, 20), ...tagsOf(`${u}b`, 10)]);
  });

  it("tags both contacts share are counted once: 20 + 20 with 10 in common is 30 and merges", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const shared = tagsOf(`${u}s`, 10);
    const keep = await db().contact.create({ data: { fullName: `K ${u}`, ownerId: rep.id, tags: [...shared, ...tagsOf(`${u}a`, 10)] } });
    const remove = await db().contact.create({ data: { fullName: `R ${u}`, ownerId: rep.id, tags: [...shared, ...tagsOf(`${u}b`, 10)] } });
    const merged = await callerFor(rep).contacts.merge({ keepId: keep.id, removeId: remove.id });
    expect(merged.tags).toHaveLength(30);
  });
});

describe("create / update: a readable 422 on the tags field", () => {
  it("saving a contact that has 35 tags from old data: 422 on tags saying to remove 5; saving 30 of them works", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const c = await db().contact.create({ data: { fullName: `Old ${u}`, ownerId: rep.id, tags: tagsOf(u, 35) } });
    const api = callerFor(rep).contacts;
    // The contact page sends every field and all tags.
    const f = await failure(api.update({ id: c.id, fullName: `Old ${u}`, title: "CTO", tags: tagsOf(u, 35) }));
    expect(f.code).toBe("UNPROCESSABLE_CONTENT");
    expect(f.message).toBe("A contact can have at most 30 tags; this one has 35. Remove 5 tags to save it.");
    expect(f.fieldErrors).toEqual({ tags: [f.message] });
    expect((await tagsNow(c.id)).length).toBe(35);
    const saved = await api.update({ id: c.id, fullName: `Old ${u}`, title: "CTO", tags: tagsOf(u, 30) });
    expect(saved).toMatchObject({ title: "CTO", tags: tagsOf(u, 30) });
    // A field other than tags still saves on a contact with too many, when the page does not send tags.
    await db().contact.update({ where: { id: c.id }, data: { tags: tagsOf(u, 35) } });
    expect((await api.update({ id: c.id, company: "Acme" })).tags).toHaveLength(35);
  });

  it("the limit is counted after normalizing: 32 entries that are 30 tags save", async () => {
    const rep = await makeUser("REP");
    const c = await callerFor(rep).contacts.create({ fullName: "Normalized", tags: [...tagsOf("t", 30), "T-0", " t-1 "] });
    expect(c.tags).toEqual(tagsOf("t", 30));
  });

  it("create with 31 tags, and a list of 301: 422 on tags, never a bare 'Invalid input' without a field", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const f31 = await failure(api.create({ fullName: "Too many", tags: tagsOf("x", 31) }));
    expect(f31).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: "A contact can have at most 30 tags; this one has 31. Remove 1 tag to save it." });
    expect(f31.fieldErrors.tags).toEqual([f31.message]);
    const f301 = await failure(api.create({ fullName: "Way too many", tags: tagsOf("x", 301) }));
    expect(f301.code).toBe("UNPROCESSABLE_CONTENT");
    expect(f301.fieldErrors.tags).toEqual(["at most 30 tags"]);
  });
});
