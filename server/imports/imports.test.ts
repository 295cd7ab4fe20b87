// Imports: decoding, CSV / LinkedIn / vCard reading, bad input as invalid rows, the
// duplicate policies, resuming, and the whole path through a real worker process.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { importText, type ImportTextOptions } from "../testing/imports";
import { spawnWorker, waitFor, type WorkerProcess } from "../testing/worker-process";
import type { Actor } from "../trpc/context";
import { AppError } from "../errors";
import { closeQueues } from "../queues/definitions";
import { decodeImportBytes, MAX_IMPORT_BYTES } from "./decode";
import { parseCsv } from "./parse-csv";
import { previewImport } from "./preview-import";
import { runImport } from "./run-import";
import { parseVcards, toVcard } from "./vcard";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 8);

const importNow = async (actor: Actor, text: string, onDuplicate: ImportTextOptions["onDuplicate"] = "skip", mapping?: string[]) =>
  (await importText(actor, text, { onDuplicate, mapping })).report;

const LINKEDIN = (u: string) => `Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Thảo,Nguyễn,https://www.linkedin.com/in/thao-${u},thao.${u}@example.com,Lin ${u},Head of Sales,12 Mar 2024
Peter,O'Neil,https://www.linkedin.com/in/peter-${u},,"Acme, Inc. ${u}",CTO,01 Feb 2023
`;

describe("decoding uploaded bytes", () => {
  it("reads UTF-8, UTF-8 with BOM and Windows-1252", () => {
    expect(decodeImportBytes(Buffer.from("Name\nNguyễn\n"))).toEqual({ text: "Name\nNguyễn\n", encoding: "utf-8" });
    expect(decodeImportBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Name\nZoë\n")]))).toEqual({ text: "Name\nZoë\n", encoding: "utf-8-bom" });
    // "Müller – Café" in Windows-1252 (0x96 is the en dash).
    const cp1252 = Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x96, 0x20, 0x43, 0x61, 0x66, 0xe9]);
    expect(decodeImportBytes(cp1252)).toEqual({ text: "Müller – Café", encoding: "windows-1252" });
  });

  it("refuses binary files and files over 10 MB with a clear 422", () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]);
    expect(() => decodeImportBytes(png)).toThrow(/not a text CSV or vCard file \(it looks like a PNG image\)/);
    expect(() => decodeImportBytes(Buffer.from([0x61, 0x00, 0x62]))).toThrow(/NUL/);
    try {
      decodeImportBytes(new Uint8Array(MAX_IMPORT_BYTES + 1));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).httpStatus).toBe(422);
      expect((e as AppError).message).toMatch(/limit is 10 MB/);
    }
  });
});

describe("reading CSV and vCard", () => {
  it("recognizes LinkedIn's Connections.csv after its notes and maps its columns", () => {
    const p = previewImport({ text: LINKEDIN("x") });
    expect(p.kind).toBe("linkedin");
    expect(p.headers).toEqual(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]);
    expect(p.mapping).toEqual(["firstName", "lastName", "linkedinUrl", "email", "company", "title", "connectedOn"]);
    expect(p.rows[1][4]).toBe("Acme, Inc. x");
  });

  it("auto-detects columns and the delimiter of an ordinary CSV", () => {
    const p = previewImport({ text: "Full Name;E-mail;Mobile;Organisation;Job Title;Whatever\nAnn;ann@x.example;+1 415 555 0100;X;CEO;1\n" });
    expect(p.kind).toBe("csv");
    expect(p.mapping).toEqual(["fullName", "email", "phone", "company", "title", "ignore"]);
  });

  it("turns a broken quote into one problem line and reads the lines after it", () => {
    const csv = parseCsv('name,email\nAnn,a@x.example\n"Bob,b@x.example\nCid,c@x.example\n');
    expect(csv.records.map((r) => [r.line, r.fields[0]])).toEqual([[2, "Ann"], [4, "Cid"]]);
    expect(csv.problems).toEqual([{ line: 3, reason: "unbalanced quotes: a quoted field is never closed" }]);
  });

  it("reads vCard 3.0 and 4.0 cards from one file and reports a broken card", () => {
    const vcf = [
      "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nguyễn;An;;;\r\nFN:Nguyễn An\r\nORG:Sao Mai;Sales\r\nTITLE:CEO\r\nEMAIL;TYPE=INTERNET,PREF:an@saomai.example\r\nTEL;TYPE=CELL:+84 912 345 678\r\nADR;TYPE=WORK:;;1 Main St;Hanoi;;100000;VN\r\nCATEGORIES:vip,expo\r\nEND:VCARD",
      "BEGIN:VCARD\nVERSION:4.0\nFN:Jane Doe\nEMAIL:jane@y.example\nTEL;VALUE=uri:tel:+1-415-555-0101\nURL:https://www.linkedin.com/in/janedoe\nEND:VCARD",
      "BEGIN:VCARD\nVERSION:4.0\nthis line is broken\nEND:VCARD",
      "BEGIN:VCARD\nVERSION:3.0\nN:Solo;Han;;;\nEND:VCARD",
    ].join("\n");
    const cards = parseVcards(vcf);
    expect(cards[0].values).toMatchObject({ fullName: "Nguyễn An", company: "Sao Mai", title: "CEO", email: "an@saomai.example", phone: "+84 912 345 678", address: "1 Main St, Hanoi, 100000, VN", tags: "vip,expo" });
    expect(cards[1].values).toMatchObject({ fullName: "Jane Doe", phone: "+1-415-555-0101", linkedinUrl: "https://www.linkedin.com/in/janedoe" });
    expect(cards[2].error).toMatch(/could not be read/);
    expect(cards[3].values?.fullName).toBe("Han Solo");
  });

  it("writes vCards that read back the same, escaping commas and semicolons", () => {
    const out = toVcard({ fullName: "Ann <b>Lee</b>", company: "Acme; Inc, Ltd", email: "ann@x.example", phone: "+14155550100", notes: "line 1\nline 2", tags: ["a,b", "vip"] }, "4.0");
    expect(out).toMatch(/^BEGIN:VCARD\r\nVERSION:4.0\r\n/);
    const [back] = parseVcards(out);
    expect(back.values).toMatchObject({ fullName: "Ann <b>Lee</b>", company: "Acme; Inc, Ltd", email: "ann@x.example", notes: "line 1\nline 2" });
  });
});

describe("running an import", () => {
  it("imports a LinkedIn export as linkedin_connection contacts", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const r = await importNow(rep, LINKEDIN(u));
    expect(r).toMatchObject({ status: "DONE", format: "linkedin", totalRows: 2, processedRows: 2, created: 2, merged: 0, skipped: 0, invalid: 0, percent: 100, terminal: true });
    const thao = (await callerFor(rep).contacts.list({ search: `thao nguyen ${u}` })).items;
    expect(thao).toHaveLength(1);
    const full = await callerFor(rep).contacts.get({ id: thao[0].id });
    expect(full).toMatchObject({ fullName: "Thảo Nguyễn", source: "linkedin_connection", title: "Head of Sales", linkedinUrl: `https://www.linkedin.com/in/thao-${u}`, notes: "Connected on LinkedIn: 12 Mar 2024", ownerId: rep.id });
    expect((await db().contactImport.findUniqueOrThrow({ where: { id: r.id } })).content).toBeNull();
  });

  it("reports each bad row with a reason and still imports the rest", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const csv = [
      "name,email,phone,company",
      `Good One,good1.${u}@example.com,,Bad ${u}`,
      `Bad Email,a@b,,Bad ${u}`,
      `Long Phone,,${"9".repeat(40)},Bad ${u}`,
      `"Unclosed,x@example.com,,Bad ${u}`,
      `Ragged,,,Bad ${u},extra`,
      `${"x".repeat(1_048_576)},,,Bad ${u}`,
      `<script>alert(1)</script>,,,Bad ${u}`,
      `,,,Bad ${u}`,
      `Good Two,good2.${u}@example.com,+1 415 555 0199,Bad ${u}`,
    ].join("\r\n");
    const r = await importNow(rep, csv);
    expect(r).toMatchObject({ status: "DONE", created: 3, invalid: 6, skipped: 0 });
    expect(r.report.map((e) => [e.row, e.kind])).toEqual([[3, "invalid"], [4, "invalid"], [5, "invalid"], [6, "invalid"], [7, "invalid"], [9, "invalid"]]);
    const reasons = r.report.map((e) => e.reason);
    expect(reasons[0]).toMatch(/invalid email "a@b"/);
    expect(reasons[1]).toMatch(/invalid phone/);
    expect(reasons[2]).toMatch(/unbalanced quotes/);
    expect(reasons[3]).toMatch(/row has 5 fields, the header has 4/);
    expect(reasons[4]).toMatch(/fullName is longer than 200 characters/);
    expect(reasons[5]).toMatch(/a name is required/);
    const names = (await callerFor(rep).contacts.list({ search: `bad ${u}`, sort: "name" })).items.map((i) => i.fullName);
    expect(names).toEqual(["<script>alert(1)</script>", "Good One", "Good Two"]);
  });

  it("applies the duplicate policy to existing contacts and to repeats inside the file", async () => {
    const rep = await makeUser("REP");
    const other = await makeUser("REP");
    const u = uniq();
    const existing = await callerFor(rep).contacts.create({ fullName: "Dee Existing", email: `dee.${u}@example.com`, tags: ["old"] });
    const foreign = await callerFor(other).contacts.create({ fullName: "Fay Foreign", email: `fay.${u}@example.com` });
    const csv = `name,email,company,tags\nDee E.,DEE.${u}@example.com,DeeCo ${u},new\nFay,fay.${u}@example.com,,\nNew Person,new.${u}@example.com,,\nNew P.,new.${u}@example.com,NewCo ${u},\n`;

    const skip = await importNow(rep, csv, "skip");
    expect(skip).toMatchObject({ created: 1, skipped: 3, merged: 0 });
    expect(skip.report.map((e) => e.reason)).toEqual([
      expect.stringMatching(/duplicate of existing contact "Dee Existing" \(same email\)/),
      expect.stringMatching(/duplicate of existing contact "Fay Foreign"/),
      // The file is read in chunks: the repeat is either in the same chunk or already committed.
      expect.stringMatching(/duplicate of (an earlier row of this file|existing contact "New Person")/),
    ]);

    const merge = await importNow(rep, csv, "merge");
    // Dee: merged into the rep's contact; Fay belongs to another rep: skipped; New Person exists now (from the first run): merged twice.
    expect(merge).toMatchObject({ created: 0, merged: 3, skipped: 1 });
    const dee = await callerFor(rep).contacts.get({ id: existing.id });
    expect(dee).toMatchObject({ fullName: "Dee Existing", company: `DeeCo ${u}` });
    expect(dee.tags.sort()).toEqual(["new", "old"]);
    expect((await callerFor(other).contacts.get({ id: foreign.id })).company).toBeNull();

    const create = await importNow(rep, csv, "create");
    expect(create).toMatchObject({ created: 4, merged: 0, skipped: 0 });
  });

  it("treats same name and company with different emails as two people, and still matches rows or contacts without email", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const co = `BigCo ${u}`;
    const anna = await callerFor(rep).contacts.create({ fullName: "Anna Müller", company: co, email: `anna.1.${u}@example.com` });
    const bob = await callerFor(rep).contacts.create({ fullName: "Bob Stone", company: co });
    const csv = [
      "name,email,company,tags",
      `Anna Müller,anna.2.${u}@example.com,${co},` /* 2: her own address: a second Anna */,
      `ANNA MÜLLER,,${co.toLowerCase()},` /* 3: no email: the existing Anna */,
      `Anna Müller,ANNA.1.${u}@example.com,,` /* 4: the existing Anna's address */,
      `Anna Müller,anna.3.${u}@example.com,${co},` /* 5: a third Anna */,
      `Anna Müller,anna.2.${u}@example.com,${co},` /* 6: row 2 again */,
      `Bob Stone,bob.${u}@example.com,${co},b` /* 7: the existing Bob has no email: same person */,
      `Cara Diaz,cara.1.${u}@example.com,SmallCo ${u},` /* 8 */,
      `Cara Diaz,cara.2.${u}@example.com,SmallCo ${u},` /* 9: another Cara, inside the file */,
      `Cara Diaz,,SmallCo ${u},` /* 10: no email: a repeat of row 8 */,
    ].join("\n") + "\n";

    const skip = await importNow(rep, csv, "skip");
    expect(skip).toMatchObject({ created: 4, skipped: 5, merged: 0, invalid: 0 });
    expect(skip.report.map((e) => [e.row, e.reason])).toEqual([
      [3, `duplicate of existing contact "Anna Müller" (same name and company)`],
      [4, `duplicate of existing contact "Anna Müller" (same email)`],
      // Chunks of 3 rows: the repeat is either in the same chunk or already committed.
      [6, expect.stringMatching(/^duplicate of (an earlier row of this file|existing contact "Anna Müller" \(same email\))$/)],
      [7, `duplicate of existing contact "Bob Stone" (same name and company)`],
      [10, expect.stringMatching(/^duplicate of (an earlier row of this file|existing contact "Cara Diaz" \(same name and company\))$/)],
    ]);
    const annas = (await callerFor(rep).contacts.list({ search: u, sort: "name" })).items.filter((i) => i.fullName === "Anna Müller").map((i) => i.email).sort();
    expect(annas).toEqual([`anna.1.${u}@example.com`, `anna.2.${u}@example.com`, `anna.3.${u}@example.com`]);

    // merge: Bob gets his email (the existing contact had none); no Anna is merged into another.
    const merge = await importNow(rep, csv, "merge");
    expect(merge).toMatchObject({ created: 0, skipped: 0, merged: 9 });
    expect((await callerFor(rep).contacts.get({ id: bob.id })).email).toBe(`bob.${u}@example.com`);
    expect((await callerFor(rep).contacts.get({ id: anna.id })).email).toBe(`anna.1.${u}@example.com`);
  });

  it("a shared phone number (a switchboard) is a duplicate only with the same name and no conflicting email", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    await callerFor(rep).contacts.create({ fullName: `Dana ${u}`, company: `Co ${u}`, email: `dana.${u}@example.com`, phone: "+44 20 7946 0000" });
    const csv = [
      "name,email,company,phone",
      `Eli ${u},eli.${u}@example.com,Co ${u},+44 20 7946 0000` /* 2: own address, same switchboard: another person */,
      `Fay ${u},,Co ${u},+44 20 7946 0000` /* 3: no email, but another name: another person */,
      `DANA ${u},,Other ${u},+44 20 7946 0000` /* 4: Dana's name and number, no email (another company): Dana */,
      `Gus ${u},gus.${u}@example.com,Other ${u},+44 20 7946 1111` /* 5 */,
      `Hal ${u},hal.${u}@example.com,Other ${u},+44 20 7946 1111` /* 6: same number as row 5, own name and address */,
      `Gus ${u},,,+44 20 7946 1111` /* 7: no email, Gus's name and number: a repeat of row 5 */,
    ].join("\n") + "\n";
    const r = await importNow(rep, csv, "skip");
    expect(r).toMatchObject({ created: 4, skipped: 2, invalid: 0 });
    expect(r.report.map((e) => [e.row, e.reason])).toEqual([
      [4, `duplicate of existing contact "Dana ${u}" (same phone)`],
      [7, expect.stringMatching(/^duplicate of (an earlier row of this file|existing contact "Gus [0-9a-z]+" \(same phone\))$/)],
    ]);
  });

  it("merges only the first of two differently addressed rows into a same-name contact that had no email", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const bob = await callerFor(rep).contacts.create({ fullName: "Bob Stone", company: `Co ${u}` });
    // Both rows in one chunk: after the first fills Bob's email, the second is someone else.
    const r = await importNow(rep, `name,email,company\nBob Stone,bob.1.${u}@example.com,Co ${u}\nBob Stone,bob.2.${u}@example.com,Co ${u}\n`, "merge");
    expect(r).toMatchObject({ merged: 1, created: 1, skipped: 0 });
    expect((await callerFor(rep).contacts.get({ id: bob.id })).email).toBe(`bob.1.${u}@example.com`);
    const bobs = (await callerFor(rep).contacts.list({ search: u })).items.map((i) => i.email).sort();
    expect(bobs).toEqual([`bob.1.${u}@example.com`, `bob.2.${u}@example.com`]);
  });

  it("imports 1,500 same-name, same-company rows with their own addresses as 1,500 contacts", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const rows = Array.from({ length: 1500 }, (_, i) => `Sales Team,team.${i}.${u}@example.com,Acme ${u}`);
    const row = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content: `name,email,company\n${rows.join("\n")}\nSales Team,,Acme ${u}\n`, mapping: ["fullName", "email", "company"] as never } });
    await runImport(db(), row.id);
    const r = await callerFor(rep).imports.get({ id: row.id });
    expect(r).toMatchObject({ created: 1500, skipped: 1 });
    expect(r.report).toEqual([{ row: 1502, kind: "skipped", reason: `duplicate of existing contact "Sales Team" (same name and company)` }]);
  });

  it("does nothing when a finished import's job is delivered again", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const r = await importNow(rep, `name\nOnce ${u}\nTwice ${u}\n`);
    expect(r.created).toBe(2);
    expect(await runImport(db(), r.id)).toEqual({ status: "DONE" });
    expect((await callerFor(rep).contacts.list({ search: u })).items).toHaveLength(2);
  });

  it("imports a vCard file with many cards", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const vcf = Array.from({ length: 5 }, (_, i) => toVcard({ fullName: `Card ${i} ${u}`, email: `card${i}.${u}@example.com` }, i % 2 ? "4.0" : "3.0")).join("") + "BEGIN:VCARD\nVERSION:3.0\nEMAIL:noname@example.com\nEND:VCARD\n";
    const r = await importNow(rep, vcf);
    expect(r).toMatchObject({ format: "vcard", created: 5, invalid: 1 });
    expect(r.report[0]).toMatchObject({ row: 6, reason: expect.stringMatching(/a name is required/) });
  });
});

describe("imports through the API and the worker", () => {
  let worker: WorkerProcess | undefined;
  afterAll(async () => {
    await worker?.stop();
    await closeQueues();
  });

  it("refuses bad uploads with 422 before queueing anything", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    await expect(api.importCsv({ csv: "name\u0000\u0001\u0002", onDuplicate: "skip" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/not a text CSV/) });
    await expect(api.importCsv({ csv: "email,phone\na@x.example,1\n", onDuplicate: "skip" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/Full name/) });
    await expect(api.importVcard({ vcard: "name\nAnn\n", onDuplicate: "skip" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(api.importCsv({ csv: "x".repeat(1_000_001), onDuplicate: "skip" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });

  it("a 2,000-row CSV is imported by the worker while the caller polls imports.get", async () => {
    worker = spawnWorker();
    const rep = await makeUser("REP");
    const other = await makeUser("REP");
    const u = uniq();
    const rows = Array.from({ length: 2000 }, (_, i) => `Worker ${i} ${u},w${i}.${u}@example.com,Co ${u}`);
    const { jobId } = await callerFor(rep).contacts.importCsv({ csv: `Name,Email,Company\n${rows.join("\n")}\n`, onDuplicate: "skip", fileName: "big.csv" });
    const seen = new Set<string>();
    const done = await waitFor(async () => {
      const r = await callerFor(rep).imports.get({ id: jobId });
      seen.add(r.status);
      return r.terminal ? r : null;
    }, "the import to finish", 60_000, 50);
    expect(done).toMatchObject({ status: "DONE", totalRows: 2000, processedRows: 2000, created: 2000, fileName: "big.csv" });
    expect(seen.has("DONE")).toBe(true);
    await expect(callerFor(other).imports.get({ id: jobId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
