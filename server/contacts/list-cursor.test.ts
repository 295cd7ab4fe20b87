// contacts.list refuses a hand-made cursor PostgreSQL could not take (a NUL, a date out of its range, a malformed
// uuid) with the 422 "Invalid cursor", not a 500; a real cursor still pages. Real database, through tRPC.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, makeUser } from "../testing/fixtures";
import { encodeCursor } from "./list-contacts";

const ID = "00000000-0000-0000-0000-000000000000";
const outcome = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `THROWN: ${String(e)}`));
const INVALID = "UNPROCESSABLE_CONTENT: Invalid cursor";

describe("contacts.list cursor", () => {
  it("answers 422 for a value with NUL or a lone surrogate, a date out of range and a malformed id", async () => {
    const list = callerFor(await makeUser("REP")).contacts.list;
    const forged: [string, "name" | "company" | "created", string][] = [
      ["name NUL", "name", encodeCursor(["a\u0000b", ID])],
      ["company NUL", "company", encodeCursor(["a\u0000b", ID])],
      ["created NUL", "created", encodeCursor(["2026-01-01T00:00:00.000Z\u0000", ID])],
      ["lone surrogate", "name", encodeCursor(["\uD800x", ID])],
      ["created far past", "created", encodeCursor(["-200000-01-01T00:00:00.000Z", ID])],
      ["created far future", "created", encodeCursor(["+275760-09-13T00:00:00.000Z", ID])],
      ["created year 0", "created", encodeCursor(["0000-01-01T00:00:00.000Z", ID])],
      ["id of 36 dashes", "name", encodeCursor(["a", "-".repeat(36)])],
    ];
    for (const [what, sort, cursor] of forged) expect([what, await outcome(list({ sort, cursor }))]).toEqual([what, INVALID]);
  });

  it("still pages with the cursors it hands out", async () => {
    const rep = await makeUser("REP");
    const tag = `cur-${randomUUID().slice(0, 8)}`;
    for (const n of ["Ánh Ø", "Bé", "Cá"]) await callerFor(rep).contacts.create({ fullName: n, company: `Co ${n}`, tags: [tag] });
    for (const sort of ["name", "company", "created"] as const) {
      const first = await callerFor(rep).contacts.list({ tag, sort, limit: 2 });
      const second = await callerFor(rep).contacts.list({ tag, sort, limit: 2, cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((c) => c.fullName).sort()).toEqual(["Ánh Ø", "Bé", "Cá"].sort());
    }
  });
});
