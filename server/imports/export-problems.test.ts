// The download of every row an import did not create or merge: past the 1,000 the page lists, in line order,
// with formula cells neutralised; the creator and admins only (404 for anyone else); an import from before the
// problems were kept falls back to its capped report.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, makeUser } from "../testing/fixtures";
import { AppError } from "../errors";
import { exportImportProblems } from "./export-problems";
import { MAX_REPORT_ENTRIES, runImport } from "./run-import";
import { previewImport } from "./preview-import";

const read = async (body: ReadableStream<Uint8Array>) => new Response(body).text();
const lines = (csv: string) => csv.replace(/^\uFEFF/, "").trimEnd().split("\r\n");

describe("import problems download", () => {
  it("lists all 1,500 invalid rows of a 1,510-row file (the page keeps 1,000), in line order, in batches", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const bad = Array.from({ length: 1500 }, (_, i) => `Bad ${i},not-an-email-${i}`);
    const good = Array.from({ length: 10 }, (_, i) => `Good ${i} ${u},good.${i}.${u}@example.com`);
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content: `name,email\n${[...good, ...bad].join("\n")}\n`, mapping: ["fullName", "email"] as never } });
    await runImport(db(), row.id, { chunkSize: 400 });
    const imp = await db().contactImport.findUniqueOrThrow({ where: { id: row.id } });
    expect(imp).toMatchObject({ created: 10, invalid: 1500 });
    expect((imp.report as unknown[]).length).toBe(MAX_REPORT_ENTRIES);

    const out = await exportImportProblems(db(), rep, row.id, { batchSize: 333 });
    expect(out.filename).toBe("import-problems.csv");
    const csv = lines(await read(out.body));
    // The file's own columns, then the three the download adds.
    expect(csv[0]).toBe("name,email,Import line,Import result,Import problem");
    expect(csv).toHaveLength(1 + 1500);
    expect(csv[1]).toMatch(/^Bad 0,not-an-email-0,12,invalid,/);
    expect(csv[1500]).toMatch(/^Bad 1499,not-an-email-1499,1511,invalid,/);
    // Lines strictly increasing: nothing twice, nothing lost between batches.
    const nums = csv.slice(1).map((l) => Number(l.split(",")[2]));
    expect(nums).toEqual(Array.from({ length: 1500 }, (_, i) => 12 + i));
  });

  it("the creator and admins may download; another rep gets 404, as for an unknown id", async () => {
    const rep = await makeUser("REP");
    const other = await makeUser("REP");
    const admin = await makeUser("ADMIN");
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content: "name,email\n,nobody@example.com\n", mapping: ["fullName", "email"] as never } });
    await runImport(db(), row.id);
    expect(lines(await read((await exportImportProblems(db(), admin, row.id)).body))).toEqual(["name,email,Import line,Import result,Import problem", ",nobody@example.com,2,invalid,a name is required"]);
    for (const [who, id] of [[other, row.id], [rep, randomUUID()]] as const) {
      const err = await exportImportProblems(db(), who, id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("an import from before the problems table falls back to its report; a reason starting with = is not a formula", async () => {
    const rep = await makeUser("REP");
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", status: "DONE", report: [{ row: 7, kind: "skipped", reason: "=HYPERLINK(\"x\")" }] as never } });
    expect(lines(await read((await exportImportProblems(db(), rep, row.id)).body))).toEqual(["Line,Result,Reason", `7,skipped,"'=HYPERLINK(""x"")"`]);
  });

  it("the download is the file to fix: corrected in a spreadsheet, it imports back, its added columns unmapped", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const content = ["Full Name,Email,Company", `Ana ${u},ana-${u}@example,Acme`, `,nameless-${u}@example.com,Acme`, `Cy ${u},cy-${u}@example.com,Acme,extra cell`, `Dee ${u},dee-${u}@example.com,"=SUM(1,2)"`].join("\n");
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content, fileName: "people.csv", mapping: ["fullName", "email", "company"] as never } });
    await runImport(db(), row.id);
    const csv = await read((await exportImportProblems(db(), rep, row.id)).body);
    const got = lines(csv);
    expect(got[0]).toBe("Full Name,Email,Company,Import line,Import result,Import problem");
    expect(got[1]).toBe(`Ana ${u},ana-${u}@example,Acme,2,invalid,"invalid email ""ana-${u}@example"" (Ana ${u})"`);
    expect(got[2]).toBe(`,nameless-${u}@example.com,Acme,3,invalid,a name is required`);
    // Too many cells: the extra one after the added columns, nothing lost.
    expect(got[3]).toBe(`Cy ${u},cy-${u}@example.com,Acme,4,invalid,"row has 4 fields, the header has 3",extra cell`);
    expect(got).toHaveLength(4);

    // The admin fixes the first two rows in the file and imports it again: the added columns map to nothing.
    const fixed = csv.replace(`ana-${u}@example,`, `ana-${u}@example.com,`).replace(`,nameless-${u}@example.com`, `Nia ${u},nameless-${u}@example.com`);
    const preview = previewImport({ text: fixed.replace(/^\uFEFF/, "") });
    expect(preview.mapping.slice(3)).toEqual(["ignore", "ignore", "ignore"]);
    const again = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content: fixed.replace(/^\uFEFF/, ""), mapping: preview.mapping as never } });
    await runImport(db(), again.id);
    expect(await db().contactImport.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({ created: 2, invalid: 1 });
    expect(await db().contact.count({ where: { email: { in: [`ana-${u}@example.com`, `nameless-${u}@example.com`] } } })).toBe(2);
  });

  it("a vCard import's problems keep Line, Result and Reason (a card has no columns)", async () => {
    const rep = await makeUser("REP");
    const vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nEMAIL:x@example.com\r\nEND:VCARD\r\n";
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "vcard", onDuplicate: "skip", content: vcf } });
    await runImport(db(), row.id);
    expect(lines(await read((await exportImportProblems(db(), rep, row.id)).body))[0]).toBe("Line,Result,Reason");
  });
});
