// Input PostgreSQL would refuse is a 4xx (or cleaned), never a 500 or a dropped export:
// NUL and lone surrogates in draft fields and pasted text, year-0 and out-of-range dates in
// the contacts list and the CSV export. Real database, HTTP tRPC handler and export route.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { handleTrpcRequest } from "../trpc/http-handler";
import { callerFor, db, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { exportQuery } from "../contacts/export-contacts";
import { draftFromText } from "../drafts/draft-from-text";
import { dbDate, toDbText } from "./db-safe";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/app/_lib/session", () => ({ getActor: async () => session.actor }));
const { GET: exportGET } = await import("@/app/api/contacts/export/route");

let rep: Actor;
beforeAll(async () => {
  rep = await makeUser("REP");
  session.actor = rep;
});

/** A tRPC call over the real HTTP handler (superjson envelope), as the browser makes it. */
async function trpc(path: string, input: unknown, method: "GET" | "POST" = "POST") {
  const url = `http://t.local/api/trpc/${path}`;
  const body = JSON.stringify({ json: input });
  const req = method === "POST"
    ? new Request(url, { method, headers: { "content-type": "application/json" }, body })
    : new Request(`${url}?input=${encodeURIComponent(body)}`);
  const res = await handleTrpcRequest(req, { actor: rep, requestId: "req-db-safe", ip: "127.0.0.1" });
  return { status: res.status, body: await res.json() };
}

const BAD_DATES = ["0000-01-01", "-000001-01-01", "+275760-09-13", "1899-12-31", "10000-01-01", "0001-01-01T00:00:00Z"];

describe("toDbText / dbDate", () => {
  it.each([
    ["a\u0000b", false, "ab"],
    ["\u0000\u0000", false, ""],
    ["a\u0001\u001F\u007Fb", false, "ab"],
    ["a\tb\nc\r\nd", false, "a b c  d"],
    ["a\tb\nc\r\nd\u0000", true, "a\tb\nc\r\nd"],
    ["lone \uD800 high", false, "lone \uFFFD high"],
    ["lone \uDC00 low", false, "lone \uFFFD low"],
    ["pair 😀 kept", false, "pair 😀 kept"],
    ["Nguyễn 王小明", false, "Nguyễn 王小明"],
  ])("%j (multiline %s) → %j", (input, multiline, out) => {
    expect(toDbText(input, multiline)).toBe(out);
  });

  it.each(BAD_DATES)("%s is refused, naming the field", (value) => {
    const r = dbDate("createdFrom").safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/^createdFrom must be a date between the years 1900 and 9999/);
  });

  it.each(["1900-01-01", "2026-05-01", "2026-05-01T10:00:00.000Z", "9999-12-31"])("%s is accepted", (value) => {
    expect(dbDate("createdFrom").safeParse(value).success).toBe(true);
  });

  it("garbage is still 'not a date'", () => {
    expect(dbDate("createdTo").safeParse("yesterday").error?.issues[0].message).toBe("createdTo is not a date");
  });
});

describe("drafts: NUL and lone surrogates are dropped, not a 500", () => {
  it("drafts.update stores the field without the NUL (and a lone surrogate as U+FFFD)", async () => {
    const { draftId } = await callerFor(rep).drafts.fromText({ text: "Jane Doe\njane@x.example" });
    const res = await trpc("drafts.update", { id: draftId, fields: { title: "Head\u0000 of Sales", company: "Acme\uD800", address: "1 Main St\u0000\nHanoi" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = await db().draftContact.findUniqueOrThrow({ where: { id: draftId } });
    expect(row.extractedData).toMatchObject({ title: "Head of Sales", company: "Acme\uFFFD", address: "1 Main St\nHanoi" });
  });

  it("drafts.update with a field that is only NULs clears it", async () => {
    const { draftId } = await callerFor(rep).drafts.fromText({ text: "John Roe\njohn@x.example" });
    const res = await trpc("drafts.update", { id: draftId, fields: { title: "\u0000\u0000\u0000" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await db().draftContact.findUniqueOrThrow({ where: { id: draftId } })).extractedData).toMatchObject({ title: null });
  });

  it("drafts.fromText with NUL in a pasted signature makes a clean draft", async () => {
    const res = await trpc("drafts.fromText", { text: "Nul\u0000 Person\u0000\nnul\u0000@x.example\n\uDC00" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = await db().draftContact.findUniqueOrThrow({ where: { id: res.body.result.data.json.draftId } });
    expect(row.rawInput).not.toContain("\u0000");
    expect(row.extractedData).toMatchObject({ email: "nul@x.example" });
    expect(JSON.stringify(row.extractedData)).not.toContain("\\u0000");
  });

  it("a Telegram message (no tRPC schema in between) with NUL makes a clean draft too", async () => {
    const { draftId } = await draftFromText(db(), rep, "Tele\u0000 Gram\ntele\u0000@x.example", { region: "US", source: "telegram" });
    const row = await db().draftContact.findUniqueOrThrow({ where: { id: draftId } });
    expect(row.rawInput).toBe("Tele Gram\ntele@x.example");
  });

  it("drafts.fromText with only NULs is 422 'Paste some text first'", async () => {
    const res = await trpc("drafts.fromText", { text: "\u0000\u0000 \u0000" });
    expect(res.status).toBe(422);
    expect(res.body.error.json.data.fieldErrors).toEqual({ text: ["Paste some text first"] });
  });
});

describe("contacts.list and the CSV export: dates out of PostgreSQL's range are 422 naming the field", () => {
  it.each(BAD_DATES)("contacts.list createdFrom/createdTo %s → 422", async (value) => {
    for (const field of ["createdFrom", "createdTo"]) {
      const res = await trpc("contacts.list", { [field]: value }, "GET");
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(Object.keys(res.body.error.json.data.fieldErrors)).toEqual([field]);
    }
  });

  it("contacts.list with NUL in search or tag answers 200 (the NUL is dropped)", async () => {
    expect((await trpc("contacts.list", { search: "a\u0000b" }, "GET")).status).toBe(200);
    expect((await trpc("contacts.list", { tag: "v\u0000ip" }, "GET")).status).toBe(200);
  });

  it("contacts.list with a date in range still filters", async () => {
    const res = await trpc("contacts.list", { createdFrom: "2000-01-01", createdTo: "9999-12-31" }, "GET");
    expect(res.status).toBe(200);
  });

  it.each(BAD_DATES)("GET /api/contacts/export?createdFrom=%s → a 422 JSON answer, not a dropped connection", async (value) => {
    for (const field of ["createdFrom", "createdTo"]) {
      const res = await exportGET(new Request(`http://t.local/api/contacts/export?format=csv&${field}=${encodeURIComponent(value)}`));
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe("VALIDATION");
      expect(body.error.fieldErrors[field][0]).toMatch(new RegExp(`^${field} must be a date between`));
    }
  });

  it("the export with NUL in search streams a CSV (200), and in-range dates still export", async () => {
    const res = await exportGET(new Request(`http://t.local/api/contacts/export?format=csv&search=${encodeURIComponent("a\u0000b")}&createdFrom=2000-01-01`));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Full Name");
    expect(exportQuery.parse({ createdTo: "2026-05-01" }).createdTo).toEqual(new Date("2026-05-01"));
  });
});

describe("explicit bidi controls (hostile review: a pasted WhatsApp name was lost; an override reversed a company)", () => {
  const LRE = "\u202a", PDF = "\u202c", RLO = "\u202e", FSI = "\u2068", PDI = "\u2069";

  it("a pasted signature wrapped in them still gives the name, and none reaches the draft", async () => {
    const { draftId } = await draftFromText(db(), rep, `${LRE}John Smith${PDF}\n${FSI}Acme ${RLO}CNI${PDF} Ltd${PDI}\njohn@acme.example`, { region: "US" });
    const view = await callerFor(rep).drafts.get({ id: draftId });
    expect(view.fields.fullName).toBe("John Smith");
    expect(view.fields.company).toBe("Acme CNI Ltd");
  });

  it("contacts, draft edits and single-line dbText fields drop them; right-to-left letters stay", async () => {
    const c = await callerFor(rep).contacts.create({ fullName: `${LRE}Dana ${RLO}Levi${PDF}`, company: "שלום Ltd" });
    expect(c).toMatchObject({ fullName: "Dana Levi", company: "שלום Ltd" });
    const { draftId } = await draftFromText(db(), rep, "Mia Wong\nmia@example.com", { region: "US" });
    const edited = await callerFor(rep).drafts.update({ id: draftId, fields: { company: `Globex ${RLO}cni${PDF}` } });
    expect(edited.fields.company).toBe("Globex cni");
    expect(toDbText(`Subject ${RLO}x${PDF}`)).toBe("Subject x");
  });
});
