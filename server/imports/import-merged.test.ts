// An import's report lists the rows it merged (migration 20261210010000_import_merged_rows): each with its line (where
// the row starts), the contact it went into and what it filled or added; every one of them in ImportProblem (kind
// 'merged'), the first 1,000 on the page. The problems download ("the file to fix") leaves them out, so importing it
// again never merges a row twice; `?result=merged` downloads them on their own. Undo keeps the contacts merged into.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { importText } from "../testing/imports";
import { exportImportProblems } from "./export-problems";
import { parseCsvRecords } from "./parse-csv";
import { previewImport } from "./preview-import";
import { MAX_REPORT_ENTRIES, runImport } from "./run-import";

const read = async (body: ReadableStream<Uint8Array>) => new Response(body).text();
const lines = (csv: string) => csv.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
const merged = (importId: string) =>
  db().$queryRaw<{ row: number; kind: string; reason: string; contactId: string | null }[]>`
    SELECT "row", "kind", "reason", "contactId" FROM "ImportProblem" WHERE "importId" = ${importId}::uuid AND "kind" = 'merged' ORDER BY "row"`;

describe("merged rows in an import's report", () => {
  it("records each merged row with the line where it starts, the contact it went into and what it changed", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann ${u}`, email: `ann-${u}@example.com`, tags: ["old"] });
    const bob = await callerFor(rep).contacts.create({ fullName: `Bob ${u}`, company: `Acme ${u}`, title: "CTO" });
    const csv = [
      "Name,Email,Company,Title,Tags,Notes",
      `New ${u},new-${u}@example.com,Acme ${u},,,"two\nline notes"`, // lines 2-3
      `Ann ${u},ANN-${u}@example.com,,Buyer,"vip, old",`, // line 4: same email, fills title, adds vip
      `Bob ${u},,Acme ${u},Boss,,"a note over\nthree\nlines"`, // lines 5-7: same name and company, title kept, fills notes
      `Broken ${u},not-an-email,,,,`, // line 8: invalid
      `New ${u},new-${u}@example.com,,Founder,expo,`, // line 9: the new contact of line 2, written by an earlier chunk
    ].join("\n");
    const { id, report } = await importText(rep, csv, { onDuplicate: "merge", chunkSize: 2 });
    expect(report).toMatchObject({ created: 1, merged: 3, invalid: 1, skipped: 0 });
    // The polled list stays the problems.
    expect(report.report).toEqual([{ row: 8, kind: "invalid", reason: `invalid email "not-an-email" (Broken ${u})` }]);

    const fresh = await db().contact.findFirstOrThrow({ where: { email: `new-${u}@example.com` } });
    expect(fresh).toMatchObject({ title: "Founder", tags: ["expo"], importId: id });
    const rows = await merged(id);
    expect(rows).toEqual([
      { row: 4, kind: "merged", contactId: ann.id, reason: `"Ann ${u}" into existing contact "Ann ${u}" (same email): filled Title / position; added tag vip` },
      { row: 5, kind: "merged", contactId: bob.id, reason: `"Bob ${u}" into existing contact "Bob ${u}" (same name and company): filled Notes` },
      { row: 9, kind: "merged", contactId: fresh.id, reason: `"New ${u}" into existing contact "New ${u}" (same email): filled Title / position; added tag expo` },
    ]);
    // The page: line, the contact as named now (a link), what the row did.
    await callerFor(rep).contacts.update({ id: bob.id, fullName: `Robert ${u}` });
    const page = await callerFor(rep).imports.get({ id });
    expect(page.mergedRows.map((m) => [m.row, m.contactId, m.contactName])).toEqual([
      [4, ann.id, `Ann ${u}`],
      [5, bob.id, `Robert ${u}`],
      [9, fresh.id, `New ${u}`],
    ]);
    // Another rep cannot read them (404, as for the import itself).
    const other = await makeUser("REP");
    await expect(callerFor(other).imports.get({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a line is where the row starts, also after multi-line cells in a CRLF file", async () => {
    // csv-parse's own line count says where a record ends, and counts a CRLF inside quotes twice.
    const text = 'Name,Notes\r\nAnn,"one\r\ntwo"\r\n\r\nBob,x\r\nCy,"a\r\nb\r\nc"\r\nDee,y';
    expect(parseCsvRecords(text, ",").records.map((r) => [r.line, r.fields[0]])).toEqual([[1, "Name"], [2, "Ann"], [5, "Bob"], [6, "Cy"], [9, "Dee"]]);
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const csv = ["Name,Email,Notes", `A ${u},a-${u}@example.com,"x\ny\nz"`, `,nameless-${u}@example.com,"p\nq"`, `B ${u},bad@,`].join("\r\n");
    const { report } = await importText(rep, csv, { chunkSize: 10 });
    expect(report.report.map((r) => r.row)).toEqual([5, 7]);
  });

  it("a file with CR-only line ends (old Mac Excel): each invalid row is on its own line, each kept in the report and the download", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const csv = ["Name,Email", `A ${u},bad-a@`, `B ${u},bad-b@`, `C ${u},c-${u}@example.com`, `D ${u},bad-d@`].join("\r") + "\r";
    const { id, report } = await importText(rep, csv, { chunkSize: 10, fileName: "mac.csv" });
    expect(report).toMatchObject({ created: 1, invalid: 3 });
    expect(report.report.map((r) => r.row)).toEqual([2, 3, 5]);
    expect(await db().importProblem.count({ where: { importId: id } })).toBe(3);
    const problems = lines(await read((await exportImportProblems(db(), rep, id)).body));
    expect(problems.slice(1).map((l) => l.split(",")[0])).toEqual([`A ${u}`, `B ${u}`, `D ${u}`]);
  });

  it("the problems download leaves merged rows out, so importing it again merges nothing twice; ?result=merged lists them", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann ${u}`, email: `ann-${u}@example.com` });
    const csv = ["Name,Email,Title", `Ann ${u},ann-${u}@example.com,Buyer`, `Bad ${u},bad-${u}@example,CEO`, `Cy ${u},cy-${u}@example.com,CFO`].join("\n");
    const { id } = await importText(rep, csv, { onDuplicate: "merge", fileName: "people.csv" });

    const problems = await read((await exportImportProblems(db(), rep, id)).body);
    expect(lines(problems)).toEqual([
      "Name,Email,Title,Import line,Import result,Import problem",
      `Bad ${u},bad-${u}@example,CEO,3,invalid,"invalid email ""bad-${u}@example"" (Bad ${u})"`,
    ]);
    const out = await exportImportProblems(db(), rep, id, { result: "merged" });
    expect(out.filename).toBe("people-merged.csv");
    expect(lines(await read(out.body))).toEqual([
      "Name,Email,Title,Import line,Import result,Import merged into,Import contact id",
      `Ann ${u},ann-${u}@example.com,Buyer,2,merged,"""Ann ${u}"" into existing contact ""Ann ${u}"" (same email): filled Title / position",${ann.id}`,
    ]);

    // The admin fixes the bad row and imports the problems file again, still with "merge": only that row is imported.
    const fixed = problems.replace(/^\uFEFF/, "").replace(`bad-${u}@example,`, `bad-${u}@example.com,`);
    const preview = previewImport({ text: fixed });
    expect(preview.mapping.slice(3)).toEqual(["ignore", "ignore", "ignore"]);
    const again = await importText(rep, fixed, { onDuplicate: "merge" });
    expect(again.report).toMatchObject({ created: 1, merged: 0, skipped: 0, invalid: 0 });
    expect(await db().contact.count({ where: { email: { contains: u } } })).toBe(3);
    // The merged download's added columns are not mapped to any field either.
    expect(previewImport({ text: lines(await read((await exportImportProblems(db(), rep, id, { result: "merged" })).body)).join("\n") }).mapping.slice(3)).toEqual([
      "ignore",
      "ignore",
      "ignore",
      "ignore",
    ]);
  });

  it("a vCard import's merged download has Line, Result, Merged into and Contact id", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann ${u}`, email: `ann-${u}@example.com` });
    const card = (fn: string, email: string, more = "") => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${fn}\r\nEMAIL:${email}\r\n${more}END:VCARD\r\n`;
    const vcf = card(`Ann ${u}`, `ann-${u}@example.com`, "TITLE:CEO\r\n") + card(`Zed ${u}`, `zed-${u}@example.com`) + card(`Zed ${u}`, `zed-${u}@example.com`, "NOTE:met at expo\r\n");
    const { id, report } = await importText(rep, vcf, { onDuplicate: "merge", chunkSize: 10 });
    const zed = await db().contact.findFirstOrThrow({ where: { email: `zed-${u}@example.com` } });
    expect(report).toMatchObject({ created: 1, merged: 2, mergedRows: [{ row: 1, contactId: ann.id, contactName: `Ann ${u}` }, { row: 3, contactId: zed.id }] });
    expect(lines(await read((await exportImportProblems(db(), rep, id, { result: "merged" })).body))).toEqual([
      "Line,Result,Merged into,Contact id",
      `1,merged,"""Ann ${u}"" into existing contact ""Ann ${u}"" (same email): filled Title / position",${ann.id}`,
      `3,merged,"""Zed ${u}"" into the new contact from card 2 of this file (same email): filled Notes",${zed.id}`,
    ]);
  });

  it("undo keeps the contacts rows were merged into; a merge into a contact the undo deletes loses its link, not its line", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann ${u}`, email: `ann-${u}@example.com` });
    const csv = ["Name,Email,Title", `Ann ${u},ann-${u}@example.com,Buyer`, `Dee ${u},dee-${u}@example.com,`, `Dee ${u},dee-${u}@example.com,CEO`].join("\n");
    // One chunk: the second Dee row merges into the new contact before it is written, so the undo deletes it.
    const { id } = await importText(rep, csv, { onDuplicate: "merge", chunkSize: 10 });
    const dee = await db().contact.findFirstOrThrow({ where: { email: `dee-${u}@example.com` } });
    expect((await merged(id)).map((m) => [m.row, m.contactId])).toEqual([[2, ann.id], [4, dee.id]]);

    expect(await callerFor(rep).imports.undo({ id })).toEqual({ deleted: 1, keptChanged: 0, merged: 2 });
    expect(await db().contact.findUnique({ where: { id: ann.id } })).toMatchObject({ title: "Buyer" });
    expect(await db().contact.findUnique({ where: { id: dee.id } })).toBeNull();
    const page = await callerFor(rep).imports.get({ id });
    expect(page.mergedRows.map((m) => [m.row, m.contactId, m.contactName])).toEqual([[2, ann.id, `Ann ${u}`], [4, null, null]]);
    expect((await merged(id))[1]).toMatchObject({ row: 4, contactId: null });
  });

  it("10,000 rows all merging: every one recorded, the page lists 1,000, the polled row stays small, in one pass", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const N = 10_000;
    await db().contact.createMany({ data: Array.from({ length: N }, (_, i) => ({ fullName: `P${i} ${u}`, email: `p${i}-${u}@example.com`, ownerId: rep.id })) });
    const csv = ["Name,Email,Title", ...Array.from({ length: N }, (_, i) => `P${i} ${u},p${i}-${u}@example.com,T${i}`)].join("\n");
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "merge", content: csv, mapping: ["fullName", "email", "title"] as never } });
    const t0 = Date.now();
    await runImport(db(), row.id);
    const ms = Date.now() - t0;
    console.log(`10,000 merged rows imported in ${ms} ms`);
    expect(ms).toBeLessThan(150_000); // a bound against an O(n²) slip, not a benchmark: most of it is the one UPDATE per merged contact
    const imp = await db().contactImport.findUniqueOrThrow({ where: { id: row.id } });
    expect(imp).toMatchObject({ status: "DONE", created: 0, merged: N, report: [] });
    const [{ n, linked }] = await db().$queryRaw<{ n: number; linked: number }[]>`
      SELECT count(*)::int AS n, count(p."contactId")::int AS linked FROM "ImportProblem" p JOIN "Contact" c ON c."id" = p."contactId" AND c."email" = 'p' || (p."row" - 2) || '-' || ${u} || '@example.com'
      WHERE p."importId" = ${row.id}::uuid AND p."kind" = 'merged'`;
    // Each row went into its own contact (line 2 is P0).
    expect({ n, linked }).toEqual({ n: N, linked: N });
    const page = await callerFor(rep).imports.get({ id: row.id });
    expect(page.mergedRows).toHaveLength(MAX_REPORT_ENTRIES);
    expect(page.mergedRows.at(-1)?.row).toBe(MAX_REPORT_ENTRIES + 1);
    const all = lines(await read((await exportImportProblems(db(), rep, row.id, { result: "merged", batchSize: 3000 })).body));
    expect(all).toHaveLength(1 + N);
    expect(all.slice(1).map((l) => Number(l.split(",")[3]))).toEqual(Array.from({ length: N }, (_, i) => i + 2));
    // The file to fix is empty: nothing to fix.
    expect(lines(await read((await exportImportProblems(db(), rep, row.id)).body))).toHaveLength(1);
  }, 300_000);
});
