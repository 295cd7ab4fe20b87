// vCard export: `N` puts the family name where address books expect it (family-name-first names from Vietnam,
// China, Japan, Korea and Hungary included), FN stays as written, and `URL` carries a scheme. Through the real
// export stream and the real database, read back with the importer's parser.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { exportContacts, exportQuery, readAll } from "./export-contacts";
import { toVcard, withScheme } from "../imports/vcard";
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
