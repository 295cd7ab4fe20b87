// CSV / vCard export: formula neutralization, escaping, selection vs current search.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { exportContacts, exportQuery, neutralizeCell, readAll } from "./export-contacts";
import { parseVcards } from "../imports/vcard";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);

describe("contact export", () => {
  it("neutralizes cells starting with = + - @ (and tab / CR)", () => {
    expect(["=1+1", "+84912", "-2+3", "@SUM(A1)", "\t=x", "\r=x", "safe", "a=b", ""].map(neutralizeCell)).toEqual([
      "'=1+1", "'+84912", "'-2+3", "'@SUM(A1)", "'\t=x", "'\r=x", "safe", "a=b", "",
    ]);
  });

  it("exports the current search as CSV with formula cells neutralized and <script> kept as text", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const api = callerFor(rep).contacts;
    await api.create({ fullName: "=HYPERLINK(\"http://evil\",\"x\")", company: `Exp ${u}`, notes: "@cmd", tags: ["vip"] });
    await api.create({ fullName: "<script>alert(1)</script>", company: `Exp ${u}`, title: "-1+2", phone: "+14155550123" });
    await api.create({ fullName: "Other Person", company: `Elsewhere ${u}` });
    const out = exportContacts(db(), exportQuery.parse({ format: "csv", search: `exp ${u}` }));
    expect(out.contentType).toBe("text/csv; charset=utf-8");
    expect(out.filename).toMatch(/^contacts-\d{4}-\d\d-\d\d\.csv$/);
    const text = await readAll(out.body);
    expect(text.startsWith("\uFEFFFull Name,Title,Company,Email,Phone")).toBe(true);
    const rows: string[][] = parse(text, { bom: true });
    expect(rows).toHaveLength(3);
    const byName = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    expect(byName["'=HYPERLINK(\"http://evil\",\"x\")"]).toBeDefined();
    expect(byName["'=HYPERLINK(\"http://evil\",\"x\")"][8]).toBe("'@cmd");
    const script = byName["<script>alert(1)</script>"];
    expect(script[1]).toBe("'-1+2");
    expect(script[4]).toBe("'+14155550123");
  });

  it("exports a selection as vCard", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const a = await api.create({ fullName: "Vera Card", company: "Acme; Inc", email: "vera@x.example" });
    await api.create({ fullName: "Not Selected" });
    const out = exportContacts(db(), exportQuery.parse({ format: "vcf", ids: [a.id] }));
    const cards = parseVcards(await readAll(out.body));
    expect(cards).toHaveLength(1);
    expect(cards[0].values).toMatchObject({ fullName: "Vera Card", company: "Acme; Inc", email: "vera@x.example" });
  });

  it("exports only unsubscribed or bounced contacts with the mail status filter, as the list shows them", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const api = callerFor(rep).contacts;
    await api.create({ fullName: "Gone Person", company: `Mail ${u}`, email: `Gone.${u}@example.com` });
    await api.create({ fullName: "Still Here", company: `Mail ${u}`, email: `here.${u}@example.com` });
    await db().$executeRaw`INSERT INTO "EmailSuppression" ("email", "reason") VALUES (${`gone.${u}@example.com`}, 'UNSUBSCRIBED'::suppression_reason)`;
    const q = exportQuery.parse({ format: "csv", search: `mail ${u}`, mailStatus: "suppressed" });
    const rows: string[][] = parse(await readAll(exportContacts(db(), q).body), { bom: true });
    expect(rows.slice(1).map((r) => r[0])).toEqual(["Gone Person"]);
    const listed = await api.list({ search: `mail ${u}`, mailStatus: "suppressed" });
    expect(listed.items.map((i) => i.fullName)).toEqual(["Gone Person"]);
    expect(exportQuery.safeParse({ mailStatus: "all" }).success).toBe(false);
  });

  it("refuses a bad query with a validation error", () => {
    expect(exportQuery.safeParse({ format: "xls" }).success).toBe(false);
    expect(exportQuery.safeParse({ ids: ["not-a-uuid"] }).success).toBe(false);
  });
});
