// Reps a test file makes as it goes, cleaned up after the file: their contacts, and their scans with the images.
import { afterAll } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import type { Actor } from "../trpc/context";
import { makeUser } from "./fixtures";
import { removeScansOf } from "./capture";

/** Call at the top of a test file; returns `newRep`, each call a new REP user. */
export function repsRemovedAfterAll(): () => Promise<Actor> {
  const users: Actor[] = [];
  afterAll(async () => {
    await getDb().contact.deleteMany({ where: { ownerId: { in: users.map((u) => u.id) } } });
    await removeScansOf(getStorage(), users.map((u) => u.id));
  });
  return async () => {
    const u = await makeUser("REP");
    users.push(u);
    return u;
  };
}
