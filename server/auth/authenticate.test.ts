// Sign-in: real argon2 hashes in PostgreSQL, failure counting in Redis.
import { describe, expect, it, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { hashPassword } from "./password";
import { authenticate } from "./authenticate";
import { assertSignInAllowed, recordFailedSignIn, reserveSignInAttempt, SIGN_IN_LIMITS } from "./sign-in-limiter";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
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

  it("refuses a disabled user even with the right password, counted like a wrong one, so the next answer does not tell a right guess from a wrong one", async () => {
    const who = `disabled-${randomUUID()}@test.example`;
    await getDb().user.create({ data: { email: who, name: "D", role: "ADMIN", passwordHash: await hashPassword("right-password"), disabledAt: new Date() } });
    // The review's probe: 4 wrong guesses, a candidate, then one more try. Right or wrong candidate, the try is refused alike.
    const probe = async (candidate: string) => {
      const from = ip();
      for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndIp - 1; i++) expect(await authenticate(getDb(), { email: who, password: `wrong-${i}` }, from)).toBeNull();
      expect(await authenticate(getDb(), { email: who, password: candidate }, from)).toBeNull();
      return refusal(authenticate(getDb(), { email: who, password: "one-more" }, from)).then((e) => (e as AppError | undefined)?.code ?? "answered");
    };
    expect(await probe("right-password")).toBe("RATE_LIMITED");
    expect(await probe("wrong-candidate")).toBe("RATE_LIMITED");
    await getDb().user.update({ where: { email: who }, data: { disabledAt: null } });
    expect(await authenticate(getDb(), { email: who, password: "right-password" }, ip())).toMatchObject({ email: who, role: "ADMIN", sessionVersion: 0 });
  });

  const victim = async (password: string) => {
    const who = `victim-${randomUUID()}@test.example`;
    await getDb().user.create({ data: { email: who, name: "V", role: "ADMIN", passwordHash: await hashPassword(password) } });
    return who;
  };
  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

  it("locks an (account, IP) pair after 5 failures in a row with RATE_LIMITED and a Retry-After; the owner elsewhere still signs in", async () => {
    const who = await victim("right-password");
    const attacker = ip();
    let owner = ip();
    while (owner === attacker) owner = ip();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndIp; i++) {
      expect(await authenticate(getDb(), { email: who, password: `wrong-${i}` }, attacker)).toBeNull();
    }
    const err = await refusal(assertSignInAllowed(who, attacker));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("RATE_LIMITED");
    expect((err as AppError).retryAfter).toBeGreaterThan(14 * 60);
    expect((err as AppError).retryAfter).toBeLessThanOrEqual(15 * 60);
    // The guesser is locked out of this account even with the right password...
    await expect(authenticate(getDb(), { email: who.toUpperCase(), password: "right-password" }, attacker)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // ...but the account is not: the right password from another address signs in (the old
    // per-account lock let anyone keep the admin out with 5 requests every 15 minutes).
    expect(await authenticate(getDb(), { email: who, password: "right-password" }, owner)).toMatchObject({ email: who, role: "ADMIN" });
    // And the same address may still try other accounts (up to the per-IP limit).
    await expect(assertSignInAllowed(`other-${randomUUID()}@x.example`, attacker)).resolves.toBeUndefined();
  });

  it("counts failures in a row: a right password from the same address clears the pair", async () => {
    const who = await victim("right-password");
    const from = ip();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndIp - 1; i++) expect(await authenticate(getDb(), { email: who, password: "typo" }, from)).toBeNull();
    expect(await authenticate(getDb(), { email: who, password: "right-password" }, from)).toMatchObject({ email: who });
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndIp - 1; i++) expect(await authenticate(getDb(), { email: who, password: "typo" }, from)).toBeNull();
    await expect(assertSignInAllowed(who, from)).resolves.toBeUndefined();
    expect(await authenticate(getDb(), { email: who, password: "typo" }, from)).toBeNull();
    await expect(assertSignInAllowed(who, from)).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("locks an account for every address after 100 failures spread over many addresses (distributed guessing)", async () => {
    const who = await victim("right-password");
    // 25 addresses × 4 failures each: no pair and no IP reaches its own limit.
    const perAddress = SIGN_IN_LIMITS.perAccountAndIp - 1;
    const addresses = Array.from({ length: Math.ceil(SIGN_IN_LIMITS.perAccount / perAddress) }, (_, k) => `198.51.100.${k + 1}-${randomUUID().slice(0, 8)}`);
    let failures = 0;
    for (const a of addresses) {
      for (let i = 0; i < perAddress && failures < SIGN_IN_LIMITS.perAccount - 1; i++, failures++) await recordFailedSignIn(who, a);
    }
    // One short of the limit: still open, and the last failure goes through authenticate itself.
    await expect(assertSignInAllowed(who, ip())).resolves.toBeUndefined();
    expect(await authenticate(getDb(), { email: who, password: "guess-100" }, addresses.at(-1)!)).toBeNull();
    const err = await refusal(assertSignInAllowed(who, ip()));
    expect(err).toMatchObject({ code: "RATE_LIMITED" });
    expect((err as AppError).retryAfter).toBeGreaterThan(59 * 60);
    expect((err as AppError).retryAfter).toBeLessThanOrEqual(60 * 60);
    await expect(authenticate(getDb(), { email: who, password: "right-password" }, ip())).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // Other accounts are not affected.
    await expect(assertSignInAllowed(email, ip())).resolves.toBeUndefined();
  });

  it("a burst of concurrent guesses from one address is counted as it arrives: 5 are checked, the rest refused, the right one among the rest does not sign in", async () => {
    const who = await victim("right-password");
    const attacker = ip();
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? "right-password" : `guess-${i}`));
    const answers = await Promise.all(guesses.map((password) => refusal(authenticate(getDb(), { email: who, password }, attacker)).then((e) => (e ? (e as AppError).code : "checked"))));
    expect(answers.filter((a) => a === "checked")).toHaveLength(SIGN_IN_LIMITS.perAccountAndIp);
    expect(answers.filter((a) => a === "RATE_LIMITED")).toHaveLength(40 - SIGN_IN_LIMITS.perAccountAndIp);
    expect(answers[39]).toBe("RATE_LIMITED");
  });

  it("a burst of 110 from one address cannot lock the account out for its owner elsewhere", async () => {
    const who = await victim("right-password");
    const attacker = ip();
    await Promise.all(Array.from({ length: 110 }, (_, i) => refusal(authenticate(getDb(), { email: who, password: `guess-${i}` }, attacker))));
    let owner = ip();
    while (owner === attacker) owner = ip();
    expect(await authenticate(getDb(), { email: who, password: "right-password" }, owner)).toMatchObject({ email: who });
  });

  it("a right password gives its attempt back: the account and the address are not charged for it", async () => {
    const who = await victim("right-password");
    const from = ip();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp + 5; i++) expect(await authenticate(getDb(), { email: who, password: "right-password" }, from)).toMatchObject({ email: who });
    await expect(assertSignInAllowed(`fresh-${randomUUID()}@x.example`, from)).resolves.toBeUndefined();
  });

  it("counts an IPv6 client by its /64: fresh addresses from one /64 share the pair and the per-IP budget", async () => {
    const who = await victim("right-password");
    const net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const addr = (i: number) => `${net}:${i.toString(16)}::${(i * 7 + 1).toString(16)}`;
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndIp; i++) expect(await authenticate(getDb(), { email: who, password: `wrong-${i}` }, addr(i))).toBeNull();
    await expect(authenticate(getDb(), { email: who, password: "right-password" }, addr(99))).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // Spraying many accounts from fresh addresses of the same /64 stops at the per-IP limit.
    const answers: string[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perIp + 5; i++) {
      answers.push(await refusal(authenticate(getDb(), { email: `spray6-${i}-${randomUUID()}@x.example`, password: "x" }, addr(1000 + i))).then((e) => (e ? (e as AppError).code : "checked")));
    }
    expect(answers.filter((a) => a === "RATE_LIMITED").length).toBeGreaterThanOrEqual(10);
    // Another /64 is not affected.
    expect(await authenticate(getDb(), { email: who, password: "right-password" }, "2001:db8:ffff:fffe::1")).toMatchObject({ email: who });
  });

  it("an attempt whose check could not be made (the database unreachable) is not counted: the user is not locked out after the outage", async () => {
    const who = await victim("right-password");
    const from = ip();
    const down = new Proxy(getDb(), {
      get(target, prop, receiver) {
        if (prop !== "user") return Reflect.get(target, prop, receiver);
        return { findUnique: async () => Promise.reject(new Error("Can't reach database server")) };
      },
    });
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndIp + 3; i++) await expect(authenticate(down, { email: who, password: "right-password" }, from)).rejects.toThrow(/reach database/);
    await expect(assertSignInAllowed(who, from)).resolves.toBeUndefined();
    expect(await authenticate(getDb(), { email: who, password: "right-password" }, from)).toMatchObject({ email: who });
  });

  it("an attempt given back after its window ended does not leave a negative count (extra guesses) behind", async () => {
    const who = await victim("right-password");
    const from = ip();
    const redis = await getReadyRedis();
    const ipKey = `${getEnv().QUEUE_PREFIX}:rl:signin:ip:${from}`;
    const attempt = await reserveSignInAttempt(who, from);
    expect(await redis.get(ipKey)).toBe("1");
    await redis.del(ipKey); // the 15-minute window ended while the password was being checked
    await attempt.succeeded();
    expect(await redis.get(ipKey)).toBeNull();
    // And a count that still exists goes down, never below 0.
    const second = await reserveSignInAttempt(who, from);
    await redis.set(ipKey, "0", "KEEPTTL");
    await second.abandoned();
    expect(await redis.get(ipKey)).toBe("0");
  });

  it("locks an IP after repeated failures across many emails", async () => {
    const attacker = ip();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) {
      await authenticate(getDb(), { email: `spray-${i}-${randomUUID()}@x.example`, password: "x" }, attacker);
    }
    await expect(assertSignInAllowed(`fresh-${randomUUID()}@x.example`, attacker)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    let fresh = ip();
    while (fresh === attacker) fresh = ip();
    await expect(assertSignInAllowed(`fresh-${randomUUID()}@x.example`, fresh)).resolves.toBeUndefined();
  });
});
