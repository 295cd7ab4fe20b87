// `npm run db:seed` is idempotent and refuses default passwords in production.
import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import { seed, SEED_USERS } from "../../prisma/seed-data";
import { authenticate } from "../auth/authenticate";

describe("seed", () => {
  it("creates the demo users and contacts once", async () => {
    const first = await seed(getDb(), { production: false });
    const second = await seed(getDb(), { production: false });
    expect(first.users).toBe(2);
    expect(first.contacts).toBeGreaterThan(0);
    expect(second).toEqual({ users: 0, contacts: 0 });
  });

  it("seeded users can sign in with the documented passwords and roles", async () => {
    for (const u of SEED_USERS) {
      const signedIn = await authenticate(getDb(), { email: u.email, password: u.password }, "127.0.0.9");
      expect(signedIn?.role).toBe(u.role);
    }
  });

  it("refuses to run in production", async () => {
    await expect(seed(getDb(), { production: true })).rejects.toThrow(/production/);
  });
});
