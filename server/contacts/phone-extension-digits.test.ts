// An extension's digits no longer run on into the number's (migration 20261210000000_phone_extension_digits,
// docs/contacts.md "Extensions"): "+4930123456;ext=7890" is keyed "4930123456x7890", the different number
// "+49301234567890" "49301234567890". So they are not duplicates (contacts, imports, the duplicates page, drafts)
// and do not match each other's digit search, while "+1 212 555 0100" still finds every extension of it.
import { randomInt, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { dropDatabase, ensureDatabase, listMigrations } from "../../scripts/lib/database";
import { findDuplicateContacts, listDuplicatePairs } from "./find-duplicates";
import { phoneSearchTerms, splitSearchExtension } from "./list-contacts";
import { phoneDigitsOf } from "./phone-digits";
import { beforeMergeLine } from "../drafts/card-notes";
import { previewImport } from "../imports/preview-import";
import { runImport } from "../imports/run-import";

const MIGRATION = "20261210000000_phone_extension_digits";
const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);
/** Six random digits, the first 2–9 (a valid start for a Berlin or US subscriber number). */
const six = () => `${randomInt(2, 10)}${String(randomInt(0, 100_000)).padStart(5, "0")}`;

describe("phoneDigitsOf: the key of a stored number, as f_phone_digits", () => {
  const cases: [string | null, string][] = [
    ["+12125550100", "12125550100"],
    ["+12125550100;ext=204", "12125550100x204"],
    ["+4930123456;ext=7890", "4930123456x7890"],
    ["+49301234567890", "49301234567890"],
    ["+12125550100;EXT=204", "12125550100x204"],
    ["+1 (212) 555-0100", "12125550100"],
    // Only the stored ";ext=" marks an extension (raw SQL writing a display form keeps every digit, as before).
    ["+1 212 555 0100 ext. 204", "12125550100204"],
    ["+12125550100;ext=", "12125550100"],
    ["+12125550100;ext=2;ext=3", "12125550100x23"],
    [";ext=5", "x5"],
    ["+1;ext=2\n3", "1x23"],
    ["", ""],
    [null, ""],
  ];

  it.each(cases)("%s → %s", (phone, key) => {
    expect(phoneDigitsOf(phone)).toBe(key);
  });

  it("the database computes the same key (f_phone_digits) for every case", async () => {
    const phones = cases.map(([p]) => p);
    const rows = await db().$queryRaw<{ key: string }[]>`
      SELECT f_phone_digits(t.p) AS key FROM unnest(${phones}::text[]) WITH ORDINALITY AS t(p, i) ORDER BY t.i`;
    expect(rows.map((r) => r.key)).toEqual(cases.map(([, key]) => key));
  });
});

describe("search terms with an extension", () => {
  const terms = (s: string, teamCallingCodes: string[] = []) => phoneSearchTerms(s, { defaultRegion: "US", teamCallingCodes });

  it("the extension follows the number's digits after an x, however it is typed", () => {
    const ext204 = { anywhere: [], phonePrefix: ["12125550100x204"] };
    expect(terms("+1 212 555 0100 ext. 204")).toEqual(ext204);
    expect(terms("+1 212 555 0100 extension 204")).toEqual(ext204);
    expect(terms("+1 (212) 555-0100 x204")).toEqual(ext204);
    expect(terms("+12125550100;ext=204")).toEqual(ext204);
    expect(terms("+1 212 555 0100 #204")).toEqual(ext204);
    expect(terms("(212) 555-0100 x204")).toEqual({ anywhere: ["2125550100x204"], phonePrefix: ["12125550100x204"] });
    expect(terms("0912 345 678 ext. 12", ["84"])).toEqual({ anywhere: ["0912345678x12"], phonePrefix: ["10912345678x12", "84912345678x12"] });
    // Without an extension: as before.
    expect(terms("+1 212 555 0100")).toEqual({ anywhere: [], phonePrefix: ["12125550100"] });
    // Run-on digits are a (different, longer) number, never the extension.
    expect(terms("12125550100204")?.anywhere).toEqual(["12125550100204"]);
    expect(splitSearchExtension("x204")).toEqual({ number: "x204", ext: null });
  });
});

describe("a number with an extension is not the number its digits run on into", () => {
  async function pair() {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const n = six();
    const name = `Ext Pair ${uniq()}`;
    // Same name, so only the phone could make them duplicates.
    const ext = await api.create({ fullName: name, phone: `+49 30 ${n} ext. 7890` });
    const long = await api.create({ fullName: name, phone: `+49 30 ${n}7890` });
    expect(ext.phone).toBe(`+4930${n};ext=7890`);
    expect(long.phone).toBe(`+4930${n}7890`);
    return { rep, api, n, name, ext, long };
  }

  it("phoneDigits tell them apart, and agree with phoneDigitsOf", async () => {
    const { ext, long, n } = await pair();
    const rows = await db().$queryRaw<{ id: string; phoneDigits: string }[]>`
      SELECT "id", "phoneDigits" FROM "Contact" WHERE "id" IN (${ext.id}::uuid, ${long.id}::uuid)`;
    const key = new Map(rows.map((r) => [r.id, r.phoneDigits]));
    expect(key.get(ext.id)).toBe(`4930${n}x7890`);
    expect(key.get(long.id)).toBe(`4930${n}7890`);
    expect(key.get(ext.id)).toBe(phoneDigitsOf(ext.phone));
    expect(key.get(long.id)).toBe(phoneDigitsOf(long.phone));
  });

  it("are not duplicates: findDuplicateContacts, the duplicates page, a draft merge line", async () => {
    const { ext, long, name, n } = await pair();
    const byExt = await findDuplicateContacts(db(), { fullName: name, phone: ext.phone });
    expect(byExt.find((c) => c.id === long.id)?.reasons ?? []).not.toContain("phone");
    expect(byExt.find((c) => c.id === ext.id)?.reasons).toContain("phone");
    const byLong = await findDuplicateContacts(db(), { phone: long.phone });
    expect(byLong.map((c) => c.id)).toEqual([long.id]);
    // Typed as the app shows it: the same key as stored.
    const typed = await findDuplicateContacts(db(), { phone: `+49 30 ${n} ext. 7890` });
    expect(typed.map((c) => c.id)).toEqual([ext.id]);

    // The duplicates page: same name and company ("" both) makes them a pair, but not "same phone".
    const pairs = await listDuplicatePairs(db(), { search: name });
    const p = pairs.find((x) => [x.a.id, x.b.id].sort().join() === [ext.id, long.id].sort().join());
    expect(p?.reasons).not.toContain("phone");

    // A card's phone replacing the contact's is a change worth writing down.
    expect(beforeMergeLine({ phone: ext.phone }, { phone: long.phone }, new Date("2026-12-05T00:00:00Z"))).toContain("phone");
    expect(beforeMergeLine({ phone: ext.phone }, { phone: ext.phone }, new Date("2026-12-05T00:00:00Z"))).toBeNull();
  });

  it("the duplicates page still pairs two contacts with the same number and extension", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const n = six();
    const name = `Ext Same ${uniq()}`;
    const a = await api.create({ fullName: name, company: `A ${uniq()}`, phone: `+49 30 ${n} ext. 7890` });
    const b = await api.create({ fullName: name, company: `B ${uniq()}`, phone: `+49 30 ${n};ext=7890` });
    const pairs = await listDuplicatePairs(db(), { search: name });
    expect(pairs.find((x) => [x.a.id, x.b.id].sort().join() === [a.id, b.id].sort().join())?.reasons).toContain("phone");
  });

  it("do not match each other's digit search; the number without its extension finds both kinds", async () => {
    const { api, ext, long, n } = await pair();
    const bare = await api.create({ fullName: `Switchboard ${uniq()}`, phone: `+49 30 ${n}` });
    const other = await api.create({ fullName: `Ext Other ${uniq()}`, phone: `+49 30 ${n} ext. 12` });
    const mine = new Map([[ext.id, "ext7890"], [long.id, "long"], [bare.id, "bare"], [other.id, "ext12"]]);
    const found = async (search: string) =>
      (await api.list({ search, limit: 100 })).items.map((i) => mine.get(i.id)).filter((x): x is string => !!x).sort();
    // The long number's digits, typed in any form, are not the extension.
    expect(await found(`+49 30 ${n}7890`)).toEqual(["long"]);
    expect(await found(`0049 30 ${n}7890`)).toEqual(["long"]);
    expect(await found(`4930${n}7890`)).toEqual(["long"]);
    expect(await found(`${n}7890`)).toEqual(["long"]);
    // The extension typed as people write it finds that extension only.
    expect(await found(`+49 30 ${n} ext. 7890`)).toEqual(["ext7890"]);
    expect(await found(`+49 30 ${n} x7890`)).toEqual(["ext7890"]);
    expect(await found(`+4930${n};ext=7890`)).toEqual(["ext7890"]);
    expect(await found(`030 ${n} ext. 7890`)).toEqual(["ext7890"]);
    // The number without an extension finds the switchboard, each extension of it, and the longer number it starts.
    expect(await found(`+49 30 ${n}`)).toEqual(["bare", "ext12", "ext7890", "long"]);
  });

  it("+1 212 555 0100 finds every extension of it; 12125550100204 is not ext. 204", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const r = six();
    const [a, b] = [r.slice(0, 3), r.slice(3)];
    const desk = await api.create({ fullName: "Desk 204", phone: `+1 912 ${a} ${b}7 ext. 204`, otherPhones: [{ type: "work", number: `+1 912 ${a} ${b}8 ext. 31` }] });
    const desk205 = await api.create({ fullName: "Desk 205", phone: `+1 912 ${a} ${b}7 x205` });
    const board = await api.create({ fullName: "Switchboard", phone: `+1 912 ${a} ${b}7` });
    const mine = new Map([[desk.id, "204"], [desk205.id, "205"], [board.id, "board"]]);
    const found = async (search: string) =>
      (await api.list({ search, limit: 100 })).items.map((i) => mine.get(i.id)).filter((x): x is string => !!x).sort();
    expect(await found(`+1 912 ${a} ${b}7`)).toEqual(["204", "205", "board"]);
    expect(await found(`(912) ${a}-${b}7`)).toEqual(["204", "205", "board"]);
    expect(await found(`+1912${a}${b}7204`)).toEqual([]);
    expect(await found(`1912${a}${b}7204`)).toEqual([]);
    expect(await found(`+1 912 ${a} ${b}7 ext. 204`)).toEqual(["204"]);
    // An other number's extension is keyed the same way.
    expect(await found(`+1 912 ${a} ${b}8`)).toEqual(["204"]);
    expect(await found(`+1 912 ${a} ${b}8 ext. 31`)).toEqual(["204"]);
    expect(await found(`+1912${a}${b}831`)).toEqual([]);
  });

  it("an import does not take the longer number for the extension's contact (same name, another company)", async () => {
    const rep = await makeUser("REP");
    const n = six();
    const name = `Ext Import ${uniq()}`;
    // Another company on each row, so only "same phone + same name" can make a row a duplicate.
    const ext = await callerFor(rep).contacts.create({ fullName: name, company: `Old ${uniq()}`, phone: `+49 30 ${n} ext. 7890` });
    const csv = `Full Name,Company,Phone\n${name},New A,+49 30 ${n}7890\n${name},New B,+49 30 ${n} ext. 7890\n`;
    const preview = previewImport({ text: csv });
    const imp = await db().contactImport.create({ data: { userId: rep.id, format: preview.kind, onDuplicate: "skip", content: csv, mapping: preview.mapping as never } });
    await runImport(db(), imp.id, { chunkSize: 10 });
    const done = await db().contactImport.findUniqueOrThrow({ where: { id: imp.id } });
    // The longer number is a new contact; the extension's row is the existing contact (same phone, same name).
    expect({ created: done.created, skipped: done.skipped, invalid: done.invalid }).toEqual({ created: 1, skipped: 1, invalid: 0 });
    expect(JSON.stringify(done.report)).toContain("same phone");
    const rows = await db().contact.findMany({ where: { fullName: name }, select: { id: true, phone: true, company: true }, orderBy: { createdAt: "asc" } });
    expect(rows).toEqual([
      { id: ext.id, phone: `+4930${n};ext=7890`, company: ext.company },
      { id: expect.any(String), phone: `+4930${n}7890`, company: "New A" },
    ]);
  });
});

describe(`migration ${MIGRATION}`, () => {
  // A database of this file's own, migrated up to the migration before this one, so rows can be written the way
  // they were before it and then rewritten by it.
  const base = new URL(process.env.DATABASE_URL!);
  const url = new URL(base);
  url.pathname = `${base.pathname}_extdigits`;
  const target = url.toString();
  afterAll(() => dropDatabase(target));

  it("rewrites existing rows, keeps its indexes and statistics target, and a second run changes nothing", async () => {
    await dropDatabase(target);
    await ensureDatabase(target);
    const c = new pg.Client({ connectionString: target });
    await c.connect();
    try {
      const all = listMigrations();
      const mine = all.find((m) => m.name === MIGRATION)!;
      expect(mine).toBeDefined();
      for (const m of all.filter((m) => m.name < MIGRATION)) await c.query(m.sql);

      const { rows: [user] } = await c.query(`INSERT INTO "User" (id, email, name, "passwordHash") VALUES (gen_random_uuid(), 'ext@example.com', 'E', 'h') RETURNING id`);
      const insert = async (fullName: string, phone: string | null, otherPhones: unknown[] = []) =>
        (await c.query(`INSERT INTO "Contact" (id, "fullName", phone, "otherPhones", "ownerId", source, "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, 'manual', now()) RETURNING id`, [fullName, phone, JSON.stringify(otherPhones), user.id])).rows[0].id as string;
      const ext = await insert("Ext Row", "+4930123456;ext=7890", [{ type: "work", e164: "+12125550100;ext=204" }, { type: "other", e164: "+12125550100" }]);
      const long = await insert("Long Row", "+49301234567890");
      const none = await insert("No Phone", null, [{ type: "fax", e164: "+12125550199;ext=9" }]);
      const keys = async () => {
        const { rows } = await c.query(`SELECT id, "phoneDigits", "searchText" FROM "Contact"`);
        return new Map(rows.map((r) => [r.id, { phoneDigits: r.phoneDigits as string | null, searchText: r.searchText as string }]));
      };
      // Before: the bug this migration fixes.
      const before = await keys();
      expect(before.get(ext)!.phoneDigits).toBe("49301234567890");
      expect(before.get(long)!.phoneDigits).toBe("49301234567890");

      const attnums = async () =>
        (await c.query(`SELECT attname, attnum FROM pg_attribute WHERE attrelid = '"Contact"'::regclass AND attname IN ('phoneDigits', 'searchText') AND NOT attisdropped ORDER BY attname`)).rows;
      const state = async () => ({
        keys: [...(await keys()).entries()].sort(),
        attnums: await attnums(),
        indexes: (await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Contact' AND (indexdef LIKE '%phoneDigits%' OR indexdef LIKE '%searchText%') ORDER BY indexname`)).rows,
        statistics: (await c.query(`SELECT attstattarget::int AS t FROM pg_attribute WHERE attrelid = '"Contact"'::regclass AND attname = 'searchText'`)).rows[0].t,
      });

      // Applied as the runner does: in one transaction.
      await c.query("BEGIN");
      await c.query(mine.sql);
      await c.query("COMMIT");
      const after = await keys();
      expect(after.get(ext)).toEqual({ phoneDigits: "4930123456x7890", searchText: "ext row   4930123456x7890 12125550100x204 12125550100" });
      expect(after.get(long)).toEqual({ phoneDigits: "49301234567890", searchText: "long row   49301234567890" });
      expect(after.get(none)).toEqual({ phoneDigits: null, searchText: "no phone    12125550199x9" });
      const first = await state();
      expect(first.indexes.map((i: { indexname: string }) => i.indexname)).toEqual(["Contact_phoneDigits_idx", "Contact_searchText_trgm_idx"]);
      expect(first.indexes[1].indexdef).toContain("gin_trgm_ops");
      expect(first.statistics).toBe(250);

      // Twice: nothing is rebuilt (the same columns, not dropped and added again) and nothing changes.
      await c.query(mine.sql);
      expect(await state()).toEqual(first);

      // A row written after it gets the new keys from the generated columns.
      const later = await insert("Later Row", "+4930123456;ext=7890");
      expect((await keys()).get(later)!.phoneDigits).toBe("4930123456x7890");
      // The search's rules on the rewritten column: the number finds both kinds, the run-on digits only the long one.
      const like = async (pattern: string) =>
        (await c.query(`SELECT "fullName" FROM "Contact" WHERE "searchText" LIKE $1 ORDER BY "fullName"`, [pattern])).rows.map((r) => r.fullName);
      expect(await like("% 4930123456%")).toEqual(["Ext Row", "Later Row", "Long Row"]);
      expect(await like("% 49301234567890%")).toEqual(["Long Row"]);
      expect(await like("% 4930123456x7890%")).toEqual(["Ext Row", "Later Row"]);
      expect(await like("% 12125550100%")).toEqual(["Ext Row"]);
      expect(await like("% 12125550199x9%")).toEqual(["No Phone"]);
      expect(await like("% 121255501999%")).toEqual([]);
      expect(await like("% 12125550100204%")).toEqual([]);
    } finally {
      await c.end();
    }
  });
});
