// vCard export: `N` puts the family name where address books expect it (family-name-first names from Vietnam,
// China, Japan, Korea and Hungary included), FN stays as written, and `URL` carries a scheme. Through the real
// export stream and the real database, read back with the importer's parser.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { exportContacts, exportQuery, readAll } from "./export-contacts";
import { escapeComponent, escapeText, escapeUri, toVcard, withScheme } from "../imports/vcard";
import { splitPersonName } from "./name-order";
import { parseVcards } from "../imports/vcard";

const u = () => randomUUID().slice(0, 8);
/** The unfolded `N:` line of one vCard. */
const nLine = (vcf: string) => vcf.replace(/\r\n[ \t]/g, "").split("\r\n").find((l) => l.startsWith("N:"));

describe("splitPersonName", () => {
  it.each([
    // Vietnamese, with and without tones
    ["Nguyễn Thị Minh Anh", "Nguyễn", "Thị Minh Anh"],
    ["Trần Văn Hùng", "Trần", "Văn Hùng"],
    ["Lê Hoàng", "Lê", "Hoàng"],
    ["Đỗ Quang Vinh", "Đỗ", "Quang Vinh"],
    ["Nguyen Van An", "Nguyen", "Van An"],
    ["NGUYỄN THỊ LAN", "NGUYỄN", "THỊ LAN"],
    // decomposed (NFD) input from some keyboards and PDFs
    ["Nguye\u0302\u0303n Thi\u0323 Lan", "Nguye\u0302\u0303n", "Thi\u0323 Lan"],
    // Chinese and Korean in their scripts, Japanese with a space
    ["王小明", "王", "小明"],
    ["欧阳娜娜", "欧阳", "娜娜"],
    ["김민준", "김", "민준"],
    ["山田 太郎", "山田", "太郎"],
    // romanised Chinese as printed on Singapore/Malaysia cards (fixture card-002)
    ["Wong Zhi Hao", "Wong", "Zhi Hao"],
    ["Tan Wei Ming", "Tan", "Wei Ming"],
    ["Lim Jia-Hui", "Lim", "Jia-Hui"],
    // Hungarian
    ["Nagy János", "Nagy", "János"],
    ["Kovács Katalin", "Kovács", "Katalin"],
  ])("%s → family %s", (full, family, given) => {
    expect(splitPersonName(full)).toEqual({ family, given });
  });

  it.each([
    // Western order, including names that only look like the rules above
    ["Günther Brückner", "Brückner", "Günther"],
    ["Mary Ann van der Berg", "Berg", "Mary Ann van der"],
    ["Mai Schmidt", "Schmidt", "Mai"],
    ["Lee Anna", "Anna", "Lee"],
    ["Lee Chen", "Chen", "Lee"],
    ["Anna Kiss", "Kiss", "Anna"],
    ["Simon Péter Smith", "Smith", "Simon Péter"],
    ["Cao Lopez", "Lopez", "Cao"],
  ])("%s stays family-last (family %s)", (full, family, given) => {
    expect(splitPersonName(full)).toEqual({ family, given });
  });

  it("worst inputs: empty, spaces only, one word, one CJK character, a 500-character name", () => {
    expect(splitPersonName("")).toEqual({ family: "", given: "" });
    expect(splitPersonName("   ")).toEqual({ family: "", given: "" });
    expect(splitPersonName("Madonna")).toEqual({ family: "", given: "Madonna" });
    expect(splitPersonName("王")).toEqual({ family: "", given: "王" });
    const long = Array.from({ length: 100 }, (_, i) => `W${i}rd`).join(" ");
    expect(splitPersonName(long).family).toBe("W99rd");
  });
});

describe("withScheme", () => {
  it("adds https:// to bare hosts and keeps a URL that has a scheme", () => {
    expect(withScheme("saomai.example")).toBe("https://saomai.example");
    expect(withScheme("www.saomai.example/vi")).toBe("https://www.saomai.example/vi");
    expect(withScheme("saomai.example:8080/x")).toBe("https://saomai.example:8080/x");
    expect(withScheme("http://old.example")).toBe("http://old.example");
    expect(withScheme("HTTPS://x.example")).toBe("HTTPS://x.example");
    expect(withScheme(" //x.example ")).toBe("https://x.example");
  });
});

describe("toVcard", () => {
  it("FN as written, N family;given, URL with https, LinkedIn with https", () => {
    const vcf = toVcard({
      fullName: "Nguyễn Thị Minh Anh", title: null, company: "Sao Mai; JSC", email: "anh@saomai.example", phone: "+84912345678",
      website: "saomai.example", linkedinUrl: "linkedin.com/in/anh", address: null, notes: "Other numbers on the card: +84 28 3823 4567 (work)", tags: [],
    });
    expect(vcf).toContain("FN:Nguyễn Thị Minh Anh\r\n");
    expect(nLine(vcf)).toBe("N:Nguyễn;Thị Minh Anh;;;");
    expect(vcf).toContain("URL:https://saomai.example\r\n");
    expect(vcf).toMatch(/X-SOCIALPROFILE;TYPE=linkedin:https:\/\/linkedin\.com\/in\/anh\r\n/);
    expect(vcf).toContain("ORG:Sao Mai\\; JSC\r\n");
    expect(vcf.startsWith("BEGIN:VCARD\r\nVERSION:3.0\r\n")).toBe(true);
    expect(vcf.endsWith("END:VCARD\r\n")).toBe(true);
  });

  it("a name with vCard's special characters stays one property (escaped, not split)", () => {
    const vcf = toVcard({ fullName: "Tran; Evil,Name\nX", title: null, company: null, email: null, phone: null, website: null, linkedinUrl: null, address: null, notes: null, tags: [] });
    expect(vcf.split("\r\n").filter((l) => l.startsWith("N:"))).toHaveLength(1);
    expect(vcf).not.toMatch(/\r\nX\r\n/);
  });
});

describe("export as vCard (database → stream → parser)", () => {
  it("a Vietnamese, a Singaporean and a German card come back with their names and a website with a scheme", async () => {
    const rep = await makeUser("REP");
    const t = u();
    const api = callerFor(rep).contacts;
    const a = await api.create({ fullName: "Nguyễn Thị Minh Anh", company: `Sao Mai ${t}`, website: "saomai.example" });
    const b = await api.create({ fullName: "Wong Zhi Hao", company: `Fennick ${t}` });
    const c = await api.create({ fullName: "Günther Brückner", company: `Hagedorn ${t}`, website: "https://hagedorn-automation.de" });
    const text = await readAll(exportContacts(db(), exportQuery.parse({ format: "vcf", ids: [a.id, b.id, c.id] })).body);
    const blocks = text.split("END:VCARD\r\n").filter(Boolean);
    const byFn = Object.fromEntries(blocks.map((bl) => [bl.match(/\r\nFN:([^\r]*)/)![1], bl]));
    expect(nLine(byFn["Nguyễn Thị Minh Anh"])).toBe("N:Nguyễn;Thị Minh Anh;;;");
    expect(nLine(byFn["Wong Zhi Hao"])).toBe("N:Wong;Zhi Hao;;;");
    expect(nLine(byFn["Günther Brückner"])).toBe("N:Brückner;Günther;;;");
    expect(byFn["Nguyễn Thị Minh Anh"]).toContain("URL:https://saomai.example\r\n");
    // The importer reads FN (not N) back, so a re-import keeps the name exactly; websites come back as hosts.
    const cards = parseVcards(text);
    expect(cards.map((x) => x.values?.fullName).sort()).toEqual(["Günther Brückner", "Nguyễn Thị Minh Anh", "Wong Zhi Hao"]);
    expect(cards.find((x) => x.values?.fullName === "Nguyễn Thị Minh Anh")?.values?.website).toMatch(/saomai\.example/);
  });
});

describe("toVcard escapes every value (RFC 6350 §3.4): no value can add a property", () => {
  const INJECT = "\r\nEMAIL:evil@x";
  const FIELDS = ["fullName", "title", "company", "email", "phone", "website", "linkedinUrl", "address", "notes"] as const;
  /** The card's content lines, unfolded (a line starting with a space continues the one before). */
  const contentLines = (vcf: string) => vcf.replace(/\r\n[ \t]/g, "").split("\r\n").filter(Boolean);

  it.each(["3.0", "4.0"] as const)("vCard %s: \\r\\nEMAIL:…, a bare CR and a bare LF in any field stay inside that field", (version) => {
    for (const field of FIELDS) {
      for (const payload of [INJECT, "\rEMAIL:evil@x", "\nEMAIL:evil@x", "\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Evil"]) {
        const source = { fullName: "Jane Doe", email: "jane@x.example", tags: ["vip"], [field]: `x${payload}` };
        const vcf = toVcard(source, version);
        const lines = contentLines(vcf);
        // One card, and each line is one known property: nothing was split off a value.
        expect(lines[0]).toBe("BEGIN:VCARD");
        expect(lines.at(-1)).toBe("END:VCARD");
        const names = lines.slice(1, -1).map((l) => l.split(/[;:]/)[0]);
        expect(names.every((n) => ["VERSION", "FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "URL", "X-SOCIALPROFILE", "ADR", "NOTE", "CATEGORIES"].includes(n)), `${field}: ${names}`).toBe(true);
        expect(new Set(names).size, `${field}: ${names}`).toBe(names.length);
        expect(lines.filter((l) => /^EMAIL[;:]/.test(l)), field).toHaveLength(1);
        expect(vcf).not.toMatch(/\r(?!\n)|(?<!\r)\n/); // no bare CR or LF anywhere
        // What the importer reads back: still one card, the real e-mail unless the e-mail itself was the bad value.
        const cards = parseVcards(vcf);
        expect(cards).toHaveLength(1);
        if (field !== "email") expect(cards[0].values?.email).toBe("jane@x.example");
      }
    }
  });

  it("TEL and URL, the values ical.js left unescaped, come out escaped", () => {
    const vcf = toVcard({ fullName: "Jane", phone: `+1 555${INJECT};x,y\\z`, website: `http://x.example/a,b;c${INJECT}`, linkedinUrl: `linkedin.com/in/x${INJECT}` });
    expect(vcf).toContain("TEL;TYPE=VOICE:+1 555\\nEMAIL:evil@x;x\\,y\\\\z\r\n");
    expect(vcf).toContain("URL:http://x.example/a%2Cb%3Bc%0D%0AEMAIL:evil@x\r\n");
    expect(vcf).toContain("X-SOCIALPROFILE;TYPE=linkedin:https://linkedin.com/in/x%0D%0AEMAIL:evil@x\r\n");
  });

  it.each([
    ["a,b", "a\\,b", "a\\,b"],
    ["a;b", "a;b", "a\\;b"],
    ["back\\slash", "back\\\\slash", "back\\\\slash"],
    ["l1\r\nl2\rl3\nl4", "l1\\nl2\\nl3\\nl4", "l1\\nl2\\nl3\\nl4"],
    ["nul\u0000 bell\u0007 del\u007F", "nul bell del", "nul bell del"],
    ["tab\tkept", "tab\tkept", "tab\tkept"],
    ["\\n literal", "\\\\n literal", "\\\\n literal"],
    ["Nguyễn 王", "Nguyễn 王", "Nguyễn 王"],
  ])("escapeText(%j) → %j, escapeComponent → %j", (input, text, component) => {
    expect(escapeText(input)).toBe(text);
    expect(escapeComponent(input)).toBe(component);
  });

  it.each([
    ["https://saomai.example/path?q=1#f", "https://saomai.example/path?q=1#f"],
    ["https://x.example/a b", "https://x.example/a%20b"],
    ["https://x.example/\r\nEMAIL:e", "https://x.example/%0D%0AEMAIL:e"],
    ["https://x.example/a\\b,c;d", "https://x.example/a%5Cb%2Cc%3Bd"],
    ["https://x.example/\u0000\u007F", "https://x.example/%00%7F"],
  ])("escapeUri(%j) → %j", (input, out) => {
    expect(escapeUri(input)).toBe(out);
  });

  it("long values are folded at 75 octets without splitting a character, and unfold to the same value", () => {
    const notes = "Gặp ở hội chợ; muốn demo, gọi lại 王小明 😀 ".repeat(20);
    const vcf = toVcard({ fullName: "Nguyễn Thị Minh Anh", notes });
    for (const physical of vcf.split("\r\n")) expect(Buffer.byteLength(physical, "utf8")).toBeLessThanOrEqual(75);
    expect(contentLines(vcf).find((l) => l.startsWith("NOTE:"))).toBe(`NOTE:${escapeText(notes)}`);
    expect(parseVcards(vcf)[0].values?.notes).toBe(notes.trim());
  });
});
