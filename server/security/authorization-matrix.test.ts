// The authorization matrix: every tRPC procedure, enumerated from the router itself,
// called as anonymous, as a rep, and as an admin; plus another rep's private objects.
// A procedure missing from server/security/access-table.ts fails this test.
import { describe, expect, it, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { appRouter } from "../trpc/root";
import { callerFor, makeUser } from "../testing/fixtures";
import { getDb } from "../db";
import { PROCEDURES } from "./access-table";
import { renderSecurityTables } from "./render-security-doc";
import type { Actor } from "../trpc/context";

const procedures = Object.keys(appRouter._def.procedures).sort();

async function codeOf(actor: Actor | null, name: string, input?: unknown): Promise<string> {
  // Walk the caller proxy by path segments ("integrations.hubspot.status").
  let fn: unknown = callerFor(actor);
  for (const part of name.split(".")) fn = (fn as Record<string, unknown>)[part];
  try {
    await (fn as (i?: unknown) => Promise<unknown>)(input);
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : `THROWN:${(e as Error).message}`;
  }
}

let rep: Actor;
let otherRep: Actor;
let admin: Actor;
beforeAll(async () => {
  rep = await makeUser("REP");
  otherRep = await makeUser("REP");
  admin = await makeUser("ADMIN");
});

describe("authorization matrix", () => {
  it("covers every procedure of the router, and nothing else", () => {
    expect(procedures.filter((p) => !PROCEDURES[p])).toEqual([]);
    expect(Object.keys(PROCEDURES).filter((p) => !procedures.includes(p))).toEqual([]);
  });

  it.each(procedures)("%s: anonymous → 401", async (name) => {
    const expected = PROCEDURES[name].access === "public" ? "not UNAUTHORIZED" : "UNAUTHORIZED";
    const code = await codeOf(null, name);
    if (expected === "UNAUTHORIZED") expect(code).toBe("UNAUTHORIZED");
    else expect(code).not.toBe("UNAUTHORIZED");
  });

  it.each(procedures)("%s: rep → 403 for admin procedures, allowed otherwise", async (name) => {
    const code = await codeOf(rep, name);
    if (PROCEDURES[name].access === "admin") expect(code).toBe("FORBIDDEN");
    else expect(["UNAUTHORIZED", "FORBIDDEN"]).not.toContain(code);
  });

  it.each(procedures)("%s: admin → allowed", async (name) => {
    // Without a valid input most calls stop at validation (422): what matters is that
    // the role check let the admin through.
    const code = await codeOf(admin, name);
    expect(["UNAUTHORIZED", "FORBIDDEN"]).not.toContain(code);
    expect(code).not.toMatch(/^THROWN|INTERNAL_SERVER_ERROR/);
  });
});

describe("another rep's objects", () => {
  it("drafts and scans of another rep are 404, never 403", async () => {
    const draft = await getDb().draftContact.create({ data: { userId: rep.id, source: "text_input", extractedData: { fullName: "Private Person" }, confidenceData: {} } });
    const scan = await getDb().cardScan.create({ data: { userId: rep.id, imageRef: `scans/${rep.id}/x/original.jpg`, sha256: "0".repeat(64), mimeType: "image/jpeg", byteSize: 1, width: 1, height: 1 } });
    for (const [name, input] of [
      ["drafts.get", { id: draft.id }],
      ["drafts.update", { id: draft.id, fields: { title: "x" } }],
      ["drafts.confirm", { id: draft.id }],
      ["drafts.discard", { id: draft.id }],
      ["scans.get", { id: scan.id }],
    ] as const) {
      expect(await codeOf(otherRep, name, input), name).toBe("NOT_FOUND");
      expect(await codeOf(admin, name, input), `${name} as admin`).toBe("NOT_FOUND");
    }
    expect(await codeOf(rep, "drafts.get", { id: draft.id })).toBe("OK");
  });

  it("another rep's contact is visible but not editable (403); an admin may edit it", async () => {
    const c = await getDb().contact.create({ data: { fullName: "Owned Contact", ownerId: rep.id } });
    expect(await codeOf(otherRep, "contacts.get", { id: c.id })).toBe("OK");
    expect(await codeOf(otherRep, "contacts.update", { id: c.id, title: "x" })).toBe("FORBIDDEN");
    expect(await codeOf(otherRep, "contacts.delete", { id: c.id })).toBe("FORBIDDEN");
    expect(await codeOf(admin, "contacts.update", { id: c.id, title: "Changed by admin" })).toBe("OK");
  });
});

describe("docs/security.md", () => {
  it("shows the current table", () => {
    const doc = readFileSync(path.resolve(__dirname, "../../docs/security.md"), "utf8");
    expect(doc).toContain(renderSecurityTables());
  });
});
