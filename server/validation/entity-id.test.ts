// Ids sent in upper case are the same rows as in lower case (entity-id.ts): before, a check comparing an input id
// with another input id or a stored one in JavaScript saw two different ids for one row.
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { entityId } from "./entity-id";

describe("entityId", () => {
  it("lower-cases a UUID and refuses anything else", () => {
    expect(entityId().parse("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    expect(entityId().safeParse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1").success).toBe(false);
    expect(entityId().safeParse("../etc/passwd").success).toBe(false);
  });
});

describe("contacts.merge with one contact's id in two spellings", () => {
  it("is refused as the same contact (422), and the contact is still there", async () => {
    const rep = await makeUser("REP");
    const c = await callerFor(rep).contacts.create({ fullName: "Same Contact Twice", email: `twice-${Date.now()}@example.com` });
    await expect(callerFor(rep).contacts.merge({ keepId: c.id, removeId: c.id.toUpperCase(), fields: {} })).rejects.toMatchObject({ message: "Choose two different contacts to merge" });
    expect(await db().contact.count({ where: { id: c.id } })).toBe(1);
  });
});
