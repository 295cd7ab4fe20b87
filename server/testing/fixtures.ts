// Test helpers: real database rows and tRPC callers with a chosen actor, no HTTP.
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { hashPassword } from "../auth/password";
import { createContext, type Actor } from "../trpc/context";
import { createCaller } from "../trpc/root";

export const db = () => getDb();

let cachedHash: Promise<string> | undefined;
const testHash = () => (cachedHash ??= hashPassword("password123"));

export async function makeUser(role: "ADMIN" | "REP" = "REP", overrides: { email?: string; name?: string } = {}): Promise<Actor> {
  const email = overrides.email ?? `${role.toLowerCase()}-${randomUUID()}@test.example`;
  const u = await db().user.create({ data: { email, name: overrides.name ?? `${role} user`, role, passwordHash: await testHash() } });
  return { id: u.id, role: u.role, email: u.email, name: u.name };
}

export function callerFor(actor: Actor | null) {
  return createCaller(createContext({ actor, requestId: `test-${randomUUID()}` }));
}
