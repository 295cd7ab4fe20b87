// Sign-in: real argon2 hashes in PostgreSQL, failure counting in Redis.
import { describe, expect, it, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { hashPassword } from "./password";
import { authenticate } from "./authenticate";
import { assertSignInAllowed, SIGN_IN_LIMITS } from "./sign-in-limiter";
import { AppError } from "../errors";

const email = `signin-${randomUUID()}@test.example`;
const ip = () => `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

beforeAll(async () => {
  await getDb().user.create({ data: { email, name: "Sign In", role: "REP", passwordHash: await hashPassword("correct-horse") } });
});

describe("authenticate", () => {
  it("returns the user with id and role for the right password", async () => {
    const u = await authenticate(getDb(), { email, password: "correct-horse" }, ip());
    expect(u).toMatchObject({ email, role: "REP" });
    expect(u?.id).toMatch(/[0-9a-f-]{36}/);
  });

  it("matches the email case-insensitively", async () => {
    const u = await authenticate(getDb(), { email: email.toUpperCase(), password: "correct-horse" }, ip());
    expect(u?.email).toBe(email);
  });

  it("returns null for a wrong password or an unknown email", async () => {
    expect(await authenticate(getDb(), { email, password: "wrong" }, ip())).toBeNull();
    expect(await authenticate(getDb(), { email: `nobody-${randomUUID()}@x.example`, password: "x" }, ip())).toBeNull();
  });

  it.each([
    ["empty fields", { email: "", password: "" }],
    ["a 10 KB email", { email: `${"a".repeat(10_240)}@x.example`, password: "x" }],
    ["SQL-looking strings", { email: "' OR 1=1 --@x.example", password: "'; DROP TABLE \"User\"; --" }],
    ["no object at all", null],
    ["numbers instead of strings", { email: 1, password: 2 }],
  ])("refuses %s without throwing", async (_name, input) => {
    expect(await authenticate(getDb(), input, ip())).toBeNull();
  });

  it("refuses a disabled user even with the right password, without counting a failure", async () => {
    const who = `disabled-${randomUUID()}@test.example`;
    await getDb().user.create({ data: { email: who, name: "D", role: "ADMIN", passwordHash: await hashPassword("right-password"), disabledAt: new Date() } });
    const from = ip();
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail + 1; i++) expect(await authenticate(getDb(), { email: who, password: "right-password" }, from)).toBeNull();
    await expect(assertSignInAllowed(who, from)).resolves.toBeUndefined(); // not locked: the password was right
    await getDb().user.update({ where: { email: who }, data: { disabledAt: null } });
    expect(await authenticate(getDb(), { email: who, password: "right-password" }, from)).toMatchObject({ email: who, role: "ADMIN", sessionVersion: 0 });
  });

  it("locks an email after repeated failures with RATE_LIMITED and a Retry-After", async () => {
    const victim = `victim-${randomUUID()}@test.example`;
    await getDb().user.create({ data: { email: victim, name: "V", role: "REP", passwordHash: await hashPassword("right-password") } });
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) {
      expect(await authenticate(getDb(), { email: victim, password: `wrong-${i}` }, ip())).toBeNull();
    }
    const err = await assertSignInAllowed(victim, ip()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("RATE_LIMITED");
    expect((err as AppError).retryAfter).toBeGreaterThan(0);
    // Even the right password is refused while locked.
    await expect(authenticate(getDb(), { email: victim, password: "right-password" }, ip())).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("locks an IP after repeated failures across many emails", async () => {
    const attacker = ip();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) {
      await authenticate(getDb(), { email: `spray-${i}-${randomUUID()}@x.example`, password: "x" }, attacker);
    }
    await expect(assertSignInAllowed(`fresh-${randomUUID()}@x.example`, attacker)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(assertSignInAllowed(`fresh-${randomUUID()}@x.example`, ip())).resolves.toBeUndefined();
  });
});
