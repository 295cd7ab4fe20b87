// Admin user management through the real tRPC router, on a database of this file's own: the
// "last active admin" guard counts every admin in the table, and the shared test database
// holds other files' admins.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { usePrivateDatabase } from "../testing/private-database";

const privateDb = await usePrivateDatabase("users");
const { getDb, closeDb } = await import("../db");
const { makeUser, callerFor } = await import("../testing/fixtures");
const { authenticate } = await import("../auth/authenticate");
type Actor = import("../trpc/context").Actor;

afterAll(async () => {
  await closeDb();
  await privateDb.drop();
});

// Each test starts with no active admin but the ones it makes.
beforeEach(async () => {
  await getDb().user.updateMany({ where: { role: "ADMIN" }, data: { role: "REP" } });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : `THROWN:${(e as Error).message}`;
  }
}
async function messageOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => "OK", (e: Error) => e.message);
}
const users = (actor: Actor) => callerFor(actor).users;
const row = (id: string) => getDb().user.findUniqueOrThrow({ where: { id } });
let ipSeq = 0;
const signIn = (email: string, password = "password123") => authenticate(getDb(), { email, password }, `10.77.${ipSeq++ % 250}.${Math.floor(Math.random() * 250)}`);

describe("users.setRole", () => {
  it("promotes and demotes; the list shows the role", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    expect(await users(admin).setRole({ id: rep.id, role: "ADMIN" })).toMatchObject({ id: rep.id, role: "ADMIN", disabledAt: null });
    expect(await users(admin).setRole({ id: rep.id, role: "ADMIN" })).toMatchObject({ role: "ADMIN" }); // the same again: no error
    expect(await users(admin).setRole({ id: rep.id, role: "REP" })).toMatchObject({ role: "REP" });
    expect((await users(admin).list()).find((u) => u.id === rep.id)).toMatchObject({ role: "REP", disabledAt: null });
  });

  it("an admin cannot demote themselves (409 with a clear message)", async () => {
    const admin = await makeUser("ADMIN");
    await makeUser("ADMIN"); // even with another admin around
    expect(await codeOf(users(admin).setRole({ id: admin.id, role: "REP" }))).toBe("CONFLICT");
    expect(await messageOf(users(admin).setRole({ id: admin.id, role: "REP" }))).toMatch(/cannot remove your own admin role/);
    expect((await row(admin.id)).role).toBe("ADMIN");
  });

  it("the last active admin cannot be demoted, a disabled admin does not count", async () => {
    const only = await makeUser("ADMIN");
    const disabledAdmin = await makeUser("ADMIN");
    await getDb().user.update({ where: { id: disabledAdmin.id }, data: { disabledAt: new Date() } });
    // The caller: an admin by their session (promoted a moment ago on another process, say),
    // acting on the only active admin row.
    const caller = { ...(await makeUser("REP")), role: "ADMIN" as const };
    expect(await codeOf(users(caller).setRole({ id: only.id, role: "REP" }))).toBe("CONFLICT");
    expect(await messageOf(users(caller).setRole({ id: only.id, role: "REP" }))).toMatch(/last active admin/);
    expect((await row(only.id)).role).toBe("ADMIN");
    // A disabled admin may be demoted: it leaves the active admins as they are.
    expect(await users(only).setRole({ id: disabledAdmin.id, role: "REP" })).toMatchObject({ role: "REP" });
  });

  it("two admins demoting each other at the same moment leave exactly one admin", async () => {
    for (let round = 0; round < 5; round++) {
      await getDb().user.updateMany({ where: { role: "ADMIN" }, data: { role: "REP" } });
      const a = await makeUser("ADMIN");
      const b = await makeUser("ADMIN");
      const codes = await Promise.all([codeOf(users(a).setRole({ id: b.id, role: "REP" })), codeOf(users(b).setRole({ id: a.id, role: "REP" }))]);
      expect(codes.sort()).toEqual(["CONFLICT", "OK"]);
      expect(await getDb().user.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);
    }
  });

  it.each([
    ["an unknown id", { id: "00000000-0000-4000-8000-000000000000", role: "REP" }, "NOT_FOUND"],
    ["a non-UUID id", { id: "not-a-uuid", role: "REP" }, "UNPROCESSABLE_CONTENT"],
    ["SQL in the id", { id: "' OR 1=1 --", role: "REP" }, "UNPROCESSABLE_CONTENT"],
    ["a 100 KB id", { id: "a".repeat(100_000), role: "REP" }, "UNPROCESSABLE_CONTENT"],
    ["an unknown role", { id: "00000000-0000-4000-8000-000000000000", role: "ROOT" }, "UNPROCESSABLE_CONTENT"],
    ["no input", undefined, "UNPROCESSABLE_CONTENT"],
    ["a number", 42, "UNPROCESSABLE_CONTENT"],
  ])("refuses %s", async (_name, input, code) => {
    const admin = await makeUser("ADMIN");
    expect(await codeOf(users(admin).setRole(input as never))).toBe(code);
  });
});

describe("users.setDisabled", () => {
  it("a disabled user cannot sign in; their contacts stay; their Telegram link goes; enabling lets them sign in again", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const db = getDb();
    const contact = await db.contact.create({ data: { ownerId: rep.id, fullName: "Kept Contact", email: `kept-${rep.id}@x.example` } });
    await db.telegramLink.create({ data: { userId: rep.id, chatId: BigInt(Date.now()), username: "rep" } });
    await db.telegramLinkCode.create({ data: { userId: rep.id, code: `c-${rep.id}`, expiresAt: new Date(Date.now() + 600_000) } });
    expect(await signIn(rep.email!)).toMatchObject({ id: rep.id, sessionVersion: 0 });

    const disabled = await users(admin).setDisabled({ id: rep.id, disabled: true });
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await signIn(rep.email!)).toBeNull();
    expect(await db.contact.findUnique({ where: { id: contact.id } })).toMatchObject({ ownerId: rep.id });
    expect(await db.telegramLink.count({ where: { userId: rep.id } })).toBe(0);
    expect(await db.telegramLinkCode.count({ where: { userId: rep.id } })).toBe(0);
    expect((await row(rep.id)).sessionVersion).toBe(1);

    // Disabling again changes nothing (no second version bump, same timestamp).
    expect((await users(admin).setDisabled({ id: rep.id, disabled: true })).disabledAt).toEqual(disabled.disabledAt);
    expect((await row(rep.id)).sessionVersion).toBe(1);

    expect(await users(admin).setDisabled({ id: rep.id, disabled: false })).toMatchObject({ disabledAt: null });
    expect(await signIn(rep.email!)).toMatchObject({ id: rep.id, sessionVersion: 1 });
  });

  it("an admin cannot disable themselves, nor the last active admin", async () => {
    const admin = await makeUser("ADMIN");
    expect(await codeOf(users(admin).setDisabled({ id: admin.id, disabled: true }))).toBe("CONFLICT");
    expect(await messageOf(users(admin).setDisabled({ id: admin.id, disabled: true }))).toMatch(/cannot disable your own account/);
    const caller = { ...(await makeUser("REP")), role: "ADMIN" as const };
    expect(await codeOf(users(caller).setDisabled({ id: admin.id, disabled: true }))).toBe("CONFLICT");
    expect(await messageOf(users(caller).setDisabled({ id: admin.id, disabled: true }))).toMatch(/last active admin/);
    expect((await row(admin.id)).disabledAt).toBeNull();
    // With a second active admin, one of them may be disabled.
    const second = await makeUser("ADMIN");
    expect(await users(admin).setDisabled({ id: second.id, disabled: true })).toMatchObject({ role: "ADMIN" });
    // Enabling yourself is a no-op, never an error.
    expect(await users(admin).setDisabled({ id: admin.id, disabled: false })).toMatchObject({ disabledAt: null });
  });

  it("two admins disabling each other at the same moment leave exactly one active admin", async () => {
    const a = await makeUser("ADMIN");
    const b = await makeUser("ADMIN");
    const codes = await Promise.all([codeOf(users(a).setDisabled({ id: b.id, disabled: true })), codeOf(users(b).setDisabled({ id: a.id, disabled: true }))]);
    expect(codes.sort()).toEqual(["CONFLICT", "OK"]);
    expect(await getDb().user.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);
  });

  it.each([
    ["an unknown id", { id: "00000000-0000-4000-8000-000000000000", disabled: true }, "NOT_FOUND"],
    ["a non-UUID id", { id: "x", disabled: true }, "UNPROCESSABLE_CONTENT"],
    ["a string for the flag", { id: "00000000-0000-4000-8000-000000000000", disabled: "true" }, "UNPROCESSABLE_CONTENT"],
    ["no flag", { id: "00000000-0000-4000-8000-000000000000" }, "UNPROCESSABLE_CONTENT"],
  ])("refuses %s", async (_name, input, code) => {
    const admin = await makeUser("ADMIN");
    expect(await codeOf(users(admin).setDisabled(input as never))).toBe(code);
  });
});

describe("ids in upper case", () => {
  it("are the same user: an admin cannot disable or demote themselves with their id in capitals, and hand-over finds the user", async () => {
    const admin = await makeUser("ADMIN");
    await makeUser("ADMIN");
    const upper = admin.id.toUpperCase();
    expect(await messageOf(users(admin).setDisabled({ id: upper, disabled: true }))).toMatch(/cannot disable your own account/);
    expect(await messageOf(users(admin).setRole({ id: upper, role: "REP" }))).toMatch(/cannot remove your own admin role/);
    expect(await row(admin.id)).toMatchObject({ role: "ADMIN", disabledAt: null });
    const rep = await makeUser("REP");
    const other = await makeUser("REP");
    expect(await users(admin).handOverCards({ id: rep.id.toUpperCase(), toId: other.id.toUpperCase() })).toMatchObject({});
    expect(await messageOf(users(admin).handOverCards({ id: rep.id, toId: rep.id.toUpperCase() }))).toMatch(/another/i);
  });
});

describe("users.create with hostile text", () => {
  it("a NUL in the name is cleaned, not a 500", async () => {
    const admin = await makeUser("ADMIN");
    const email = `nul-${Date.now()}@test.example`;
    const created = await users(admin).create({ email, name: "Nul\u0000 Name", password: "a-long-passphrase-9", role: "REP" });
    expect(created.name).toBe("Nul Name");
  });
});

describe("users.setPassword", () => {
  it("sets a new password: the new one signs in, the old one does not, and the session version rises", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    expect(await users(admin).setPassword({ id: rep.id, password: "brand-new-secret" })).toMatchObject({ id: rep.id });
    expect(await signIn(rep.email!, "password123")).toBeNull();
    expect(await signIn(rep.email!, "brand-new-secret")).toMatchObject({ id: rep.id, sessionVersion: 1 });
    // The answer never carries the hash.
    expect(JSON.stringify(await users(admin).list())).not.toMatch(/argon2|passwordHash/);
  });

  it.each([
    ["an unknown id", { id: "00000000-0000-4000-8000-000000000000", password: "long-enough-1" }, "NOT_FOUND"],
    ["a short password", { id: "00000000-0000-4000-8000-000000000000", password: "short" }, "UNPROCESSABLE_CONTENT"],
    ["a 10 KB password", { id: "00000000-0000-4000-8000-000000000000", password: "p".repeat(10_240) }, "UNPROCESSABLE_CONTENT"],
    ["a non-UUID id", { id: "'; DROP TABLE \"User\"; --", password: "long-enough-1" }, "UNPROCESSABLE_CONTENT"],
  ])("refuses %s", async (_name, input, code) => {
    const admin = await makeUser("ADMIN");
    expect(await codeOf(users(admin).setPassword(input as never))).toBe(code);
  });
});

describe("weak passwords", () => {
  it.each([
    ["eight spaces", "        ", "At least 8 characters, not counting spaces at the start or end"],
    ["spaces around a short one", "   abc1    ", "At least 8 characters, not counting spaces at the start or end"],
    ["one character eight times", "11111111", "Use at least 4 different characters"],
    ["three characters", "abababab", "Use at least 4 different characters"],
    ["a common password", "password1", "This is one of the most common passwords, the first ones tried; choose another"],
    ["a common password in capitals with spaces around", "  IloveYou2  ", "This is one of the most common passwords, the first ones tried; choose another"],
    ["a common keyboard walk", "qwertyuiop", "This is one of the most common passwords, the first ones tried; choose another"],
  ])("refuses %s with 422 naming the rule, on create and on set", async (_name, password, message) => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    for (const call of [users(admin).create({ email: `weak-${Date.now()}@test.example`, name: "Weak", password, role: "REP" }), users(admin).setPassword({ id: rep.id, password })]) {
      const e = await call.then(() => null, (err: TRPCError) => err);
      expect(e?.code).toBe("UNPROCESSABLE_CONTENT");
      const issues = (e?.cause as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
      expect(issues.map((i) => [i.path.join("."), i.message])).toContainEqual(["password", message]);
    }
    expect(await signIn(rep.email!, "password123")).toMatchObject({ id: rep.id });
  });

  it("refuses the account's own email or its part before @ (any case), and takes a passphrase with spaces", async () => {
    const admin = await makeUser("ADMIN");
    const email = `jane.doe-${Date.now()}@test.example`;
    const local = email.slice(0, email.indexOf("@"));
    for (const password of [email, local.toUpperCase()]) {
      const e = await users(admin).create({ email, name: "Jane", password, role: "REP" }).then(() => null, (err: TRPCError) => err);
      expect(e?.code).toBe("UNPROCESSABLE_CONTENT");
      expect(e?.message).toBe('The password cannot be the email address or its part before "@"');
    }
    const jane = await users(admin).create({ email, name: "Jane", password: "correct horse battery", role: "REP" });
    expect(await signIn(email, "correct horse battery")).toMatchObject({ id: jane.id });
    expect(await codeOf(users(admin).setPassword({ id: jane.id, password: local }))).toBe("UNPROCESSABLE_CONTENT");
  });

  it("takes an uncommon password built from common words and digits", async () => {
    const admin = await makeUser("ADMIN");
    const email = `uncommon-${Date.now()}@test.example`;
    const u = await users(admin).create({ email, name: "Uncommon", password: "Summer2026!", role: "REP" });
    expect(await signIn(email, "Summer2026!")).toMatchObject({ id: u.id });
  });
});

describe("as a rep or anonymous", () => {
  it("every user-management call is 403 for a rep and 401 without a session, and changes nothing", async () => {
    const rep = await makeUser("REP");
    const target = await makeUser("ADMIN");
    expect(await codeOf(users(rep).setRole({ id: target.id, role: "REP" }))).toBe("FORBIDDEN");
    expect(await codeOf(users(rep).setDisabled({ id: target.id, disabled: true }))).toBe("FORBIDDEN");
    expect(await codeOf(users(rep).setPassword({ id: target.id, password: "taken-over-1" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(null).users.setDisabled({ id: target.id, disabled: true }))).toBe("UNAUTHORIZED");
    expect(await row(target.id)).toMatchObject({ role: "ADMIN", disabledAt: null, sessionVersion: 0 });
  });
});
