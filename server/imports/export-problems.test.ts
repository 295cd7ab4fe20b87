// The download of every row an import did not create or merge: past the 1,000 the page lists, in line order,
// with formula cells neutralised; the creator and admins only (404 for anyone else); an import from before the
// problems were kept falls back to its capped report.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, makeUser } from "../testing/fixtures";
import { AppError } from "../errors";
import { exportImportProblems } from "./export-problems";
import { MAX_REPORT_ENTRIES, runImport } from "./run-import";

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
    expect(csv[0]).toBe("Line,Result,Reason");
    expect(csv).toHaveLength(1 + 1500);
    expect(csv[1]).toMatch(/^12,invalid,/);
    expect(csv[1500]).toMatch(/^1511,invalid,/);
    // Lines strictly increasing: nothing twice, nothing lost between batches.
    const nums = csv.slice(1).map((l) => Number(l.split(",")[0]));
    expect(nums).toEqual(Array.from({ length: 1500 }, (_, i) => 12 + i));
  });

  it("the creator and admins may download; another rep gets 404, as for an unknown id", async () => {
    const rep = await makeUser("REP");
    const other = await makeUser("REP");
    const admin = await makeUser("ADMIN");
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content: "name,email\n,nobody@example.com\n", mapping: ["fullName", "email"] as never } });
    await runImport(db(), row.id);
    expect(lines(await read((await exportImportProblems(db(), admin, row.id)).body))).toEqual(["Line,Result,Reason", "2,invalid,a name is required"]);
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
});
