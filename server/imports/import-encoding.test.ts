// Import encoding: a UTF-8 file with a few stray Windows-1252 bytes stays UTF-8 (only those bytes are read as
// Windows-1252, and the import says where), a file that is mostly Windows-1252 is Windows-1252, and the preview
// (the first 256 KB the browser sends) always decodes the way the import then does. Real database and queue.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, makeUser } from "../testing/fixtures";
import { closeQueues, getQueue, jobId, QUEUE_NAMES } from "../queues/definitions";
import { decodeImportBytes, describeEncoding, PREVIEW_BYTES } from "./decode";
import { parseCsv } from "./parse-csv";
import { runImport } from "./run-import";
import { previewImportFromBytes, startImportFromBytes } from "./start-import";

afterAll(() => closeQueues());

const cp1252 = (s: string) => Buffer.from(s, "latin1"); // the test strings use only Latin-1 letters
const CAFE_BAR = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x42, 0x61, 0x72]); // "Café – Bar" in Windows-1252

function utf8Rows(n: number, u: string): Buffer {
  const lines = ["Full Name,Company,Email"];
  for (let i = 0; i < n; i++) lines.push(`Nguyễn Văn ${i} ${u},Công ty Sao Mai,nv${i}.${u}@example.com`);
  return Buffer.from(lines.join("\r\n") + "\r\n", "utf8");
}

/** What the browser sends for the preview, previewed. */
const previewOf = (file: Buffer) => previewImportFromBytes(new Uint8Array(file.subarray(0, PREVIEW_BYTES)), file.length > PREVIEW_BYTES);

/** The preview shows the rows the import reads, under the same encoding. */
function expectPreviewMatchesImport(file: Buffer) {
  const preview = previewOf(file);
  const whole = decodeImportBytes(file);
  expect(preview.rows).toEqual(parseCsv(whole.text).records.slice(0, 5).map((r) => r.fields));
  return { preview, whole };
}

describe("a UTF-8 file with a stray Windows-1252 cell", () => {
  it("after the first 256 KB: imports every name correctly, reads the cell as Windows-1252 and says which line", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const file = Buffer.concat([utf8Rows(6000, u), Buffer.from(`Jean Dupont ${u},`), CAFE_BAR, Buffer.from(`,jd.${u}@example.com\r\n`)]);
    expect(file.length).toBeGreaterThan(PREVIEW_BYTES);

    const { preview } = expectPreviewMatchesImport(file);
    expect(preview.encoding).toBe("utf-8");
    expect(preview.rows[0].slice(0, 2)).toEqual([`Nguyễn Văn 0 ${u}`, "Công ty Sao Mai"]);

    const { jobId: id } = await startImportFromBytes(db(), rep, { bytes: new Uint8Array(file), kind: "auto", onDuplicate: "skip", fileName: "mixed.csv" });
    await getQueue(QUEUE_NAMES.imports).remove(jobId("import", id)); // run here instead of in a worker
    expect(await runImport(db(), id, { chunkSize: 2000 })).toEqual({ status: "DONE" });
    expect(await db().contactImport.findUniqueOrThrow({ where: { id } })).toMatchObject({
      created: 6001, invalid: 0, encoding: "utf-8 (line 6002 not UTF-8: read as Windows-1252)",
    });
    const [first, last] = await Promise.all([
      db().contact.findFirstOrThrow({ where: { email: `nv0.${u}@example.com` } }),
      db().contact.findFirstOrThrow({ where: { email: `jd.${u}@example.com` } }),
    ]);
    expect(first).toMatchObject({ fullName: `Nguyễn Văn 0 ${u}`, company: "Công ty Sao Mai" });
    expect(last).toMatchObject({ fullName: `Jean Dupont ${u}`, company: "Café – Bar" });
  });

  it("inside the first 256 KB: the preview already says so, and decodes those rows as the import does", () => {
    const file = Buffer.concat([Buffer.from("Name,Company\nNguyễn Văn,Công ty\nJean,"), CAFE_BAR, Buffer.from("\nZoë,Müller – Café\n"), Buffer.from([0x41, 0xe9, 0x0a])]);
    const { preview, whole } = expectPreviewMatchesImport(file);
    expect(preview.rows).toEqual([["Nguyễn Văn", "Công ty"], ["Jean", "Café – Bar"], ["Zoë", "Müller – Café"], ["Aé"]]);
    expect(preview.encoding).toBe("utf-8 (lines 3, 5 not UTF-8: read as Windows-1252)");
    expect(describeEncoding(whole)).toBe(preview.encoding);
  });

  it("with a BOM: UTF-8 whatever the stray bytes, the BOM dropped; a sequence cut off at the end is one stray byte", () => {
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Name\n"), cp1252("Ãéèü\n"), Buffer.from("Zoë\n"), Buffer.from([0x41, 0xe2, 0x82])]);
    const d = decodeImportBytes(file);
    expect(d.text).toBe("Name\nÃéèü\nZoë\nAâ‚");
    expect(describeEncoding(d)).toBe("utf-8-bom (lines 2, 4 not UTF-8: read as Windows-1252)");
  });

  it("notes the first five lines and how many more", () => {
    const file = Buffer.concat([utf8Rows(20, "x"), ...Array.from({ length: 8 }, () => cp1252("Zoë\n"))]);
    expect(describeEncoding(decodeImportBytes(file))).toBe("utf-8 (lines 22, 23, 24, 25, 26 and 3 more not UTF-8: read as Windows-1252)");
  });
});

describe("a file that is mostly Windows-1252", () => {
  it("is Windows-1252, a stray valid-looking UTF-8 pair included", () => {
    // "Ä»" is C4 BB, which is also UTF-8 for "Ļ"; the other accents are not UTF-8, so the file is Windows-1252.
    const file = cp1252("Name,Company\nMüller,Café Ä»\nJosé,Señor Größe\n");
    const { preview, whole } = expectPreviewMatchesImport(file);
    expect(whole).toEqual({ text: "Name,Company\nMüller,Café Ä»\nJosé,Señor Größe\n", encoding: "windows-1252" });
    expect(preview.encoding).toBe("windows-1252");
  });

  it("whose first 256 KB are plain ASCII: the whole file decides (the preview's ASCII rows read the same)", () => {
    const ascii = ["Name,Company", ...Array.from({ length: 20000 }, (_, i) => `Person ${i},Acme`)].join("\n") + "\n";
    const file = Buffer.concat([Buffer.from(ascii), cp1252("Müller,Café\nJosé,Señor\n")]);
    const { preview, whole } = expectPreviewMatchesImport(file);
    expect(preview.encoding).toBe("utf-8");
    expect(whole.encoding).toBe("windows-1252");
    expect(whole.text.endsWith("Müller,Café\nJosé,Señor\n")).toBe(true);
  });

  it("decides on the bytes the preview saw, even when a UTF-8 part follows them", () => {
    const head = ["Name,Company", ...Array.from({ length: 20000 }, (_, i) => `Müller ${i},Café`)].join("\n") + "\n";
    const file = Buffer.concat([cp1252(head), utf8Rows(9000, "x")]);
    const { preview, whole } = expectPreviewMatchesImport(file);
    expect(preview.encoding).toBe("windows-1252");
    expect(whole.encoding).toBe("windows-1252");
    expect(preview.rows[0]).toEqual(["Müller 0", "Café"]);
  });
});
