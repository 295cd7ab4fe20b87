// Searching contacts by phone number (QA review I5): a national number with its trunk 0 is read in the countries the
// team has contacts in, where it is valid there, so a Vietnamese 0912 345 678 no longer finds a Spanish
// +34 912 345 678; "+…"/"00…" numbers match stored numbers by their start. On the real database, through the caller.
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { exportContacts, exportQuery, readAll } from "./export-contacts";
import { isNationalNumberSearch, phoneSearchTerms, teamCallingCodes, withoutPhoneExtension } from "./list-contacts";

/** Six random digits, first one 2–9 (a US exchange cannot start with 0 or 1). */
const six = () => `${randomInt(2, 10)}${String(randomInt(0, 100_000)).padStart(5, "0")}`;

async function setup() {
  const rep = await makeUser("REP");
  const api = callerFor(rep).contacts;
  const r = six();
  const [a, b] = [r.slice(0, 3), r.slice(3)];
  const vn = await api.create({ fullName: "Nguyễn Thị Minh Anh", phone: `+84 912 ${a} ${b}` });
  const es = await api.create({ fullName: "María José Peña Muñoz", phone: `+34 912 ${a} ${b}` });
  const us = await api.create({ fullName: "Jane Cooper", phone: `+1 912 ${a} ${b}7` });
  const fr = await api.create({ fullName: "Camille Dubois", phone: `+33 9 12 ${a} ${b}` });
  const mine = new Map([[vn.id, "VN"], [es.id, "ES"], [us.id, "US"], [fr.id, "FR"]]);
  /** Which of this test's four contacts a search finds. */
  const found = async (search: string) =>
    (await api.list({ search, limit: 100 })).items.map((i) => mine.get(i.id)).filter((x): x is string => !!x).sort();
  return { a, b, found, rep };
}

describe("contacts.list: phone numbers", () => {
  it("a national number with its trunk 0 finds the countries where it is a valid number, not +34 912 …", async () => {
    const { a, b, found } = await setup();
    // Valid in Vietnam (+84 912 …) and in France (+33 9 12 …, a VoIP number); in Spain and the US it is not a number.
    expect(await found(`0912${a}${b}`)).toEqual(["FR", "VN"]);
    expect(await found(`0912 ${a} ${b}`)).toEqual(["FR", "VN"]);
    expect(await found(`(091) 2${a}-${b}`)).toEqual(["FR", "VN"]);
    // French grouping of the same digits.
    expect(await found(`09 12 ${a.slice(0, 2)} ${a.slice(2)}${b.slice(0, 1)} ${b.slice(1)}`)).toEqual(["FR", "VN"]);
  });

  it("a number with + or 00 matches the stored numbers that start with it, in full or in part", async () => {
    const { a, b, found } = await setup();
    expect(await found(`+84 912 ${a} ${b}`)).toEqual(["VN"]);
    expect(await found(`+84 (0) 912 ${a} ${b}`)).toEqual(["VN"]);
    expect(await found(`0084 912 ${a} ${b}`)).toEqual(["VN"]);
    expect(await found(`+34 912 ${a} ${b}`)).toEqual(["ES"]);
    expect(await found(`0034912${a}${b}`)).toEqual(["ES"]);
    expect(await found(`+1 (912) ${a}-${b}7`)).toEqual(["US"]);
    expect(await found(`+33 9 12 ${a} ${b}`)).toEqual(["FR"]);
    // a prefix: all of this test's Spanish numbers start with +34 912 …
    expect(await found(`+34 912 ${a}`)).toEqual(["ES"]);
  });

  it("digits without a trunk 0 or a + say nothing about the country: they match anywhere (all four here)", async () => {
    const { a, b, found } = await setup();
    expect(await found(`912 ${a} ${b}`)).toEqual(["ES", "FR", "US", "VN"]);
    expect(await found(`${a}${b}`)).toEqual(["ES", "FR", "US", "VN"]);
    // In the default region (US) "(912) …-…7" is the US number; its digits appear in no other contact.
    expect(await found(`(912) ${a}-${b}7`)).toEqual(["US"]);
  });

  it("a number typed the way the app shows it, with an extension, finds that extension of the number", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const r = six();
    const [a, b] = [r.slice(0, 3), r.slice(3)];
    const desk = await api.create({ fullName: "Desk Two-Oh-Four", phone: `+1 912 ${a} ${b}7 ext. 204` });
    const other = await api.create({ fullName: "Desk Two-Oh-Five", phone: `+1 912 ${a} ${b}7 x205` });
    const board = await api.create({ fullName: "Switchboard", phone: `+1 912 ${a} ${b}7` });
    const mine = new Map([[desk.id, "204"], [other.id, "205"], [board.id, "board"]]);
    const found = async (search: string) =>
      (await api.list({ search, limit: 100 })).items.map((i) => mine.get(i.id)).filter((x): x is string => !!x).sort();
    // As formatPhone shows it on the contact page, and as people write it (stored keys: "1912…7x204").
    expect(await found(`+1 912 ${a} ${b}7 ext. 204`)).toEqual(["204"]);
    expect(await found(`(912) ${a}-${b}7 x204`)).toEqual(["204"]);
    expect(await found(`912-${a}-${b}7 #205`)).toEqual(["205"]);
    expect(await found(`+1912${a}${b}7;ext=204`)).toEqual(["204"]);
    expect(await found(`+1 912 ${a} ${b}7 extension 204`)).toEqual(["204"]);
    // Without the extension: the number and every extension of it.
    expect(await found(`+1 912 ${a} ${b}7`)).toEqual(["204", "205", "board"]);
  });

  it("'Export this search' after the list finds the same contacts", async () => {
    const { a, b, found } = await setup();
    expect(await found(`0912${a}${b}`)).toEqual(["FR", "VN"]);
    const csv = await readAll(exportContacts(db(), exportQuery.parse({ format: "csv", search: `0912${a}${b}` })).body);
    expect(csv).toContain("Nguyễn Thị Minh Anh");
    expect(csv).toContain("Camille Dubois");
    expect(csv).not.toContain("María José Peña Muñoz");
  });

  it("teamCallingCodes lists the calling codes of stored phones", async () => {
    await setup();
    const codes = await teamCallingCodes(db());
    expect(codes).toEqual(expect.arrayContaining(["84", "34", "1", "33"]));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("worst inputs: lone zeros and pluses, 30 digits, two numbers, brackets only, never an error", async () => {
    const { found } = await setup();
    for (const s of ["0", "00", "0000", "+", "++++", "+0", "(((", "0".repeat(31), "0".repeat(30), "1".repeat(30), "0912345678 0912345678", "00 00 00 00", "+84 912 345 678 + 34", "0-0-0-0", "  0912  "]) {
      await expect(found(s), s).resolves.toBeDefined();
    }
    expect(await found("0000")).toEqual([]);
  });
});

describe("phoneSearchTerms", () => {
  const terms = (s: string, teamCallingCodes: string[] = [], defaultRegion = "US") => phoneSearchTerms(s, { defaultRegion, teamCallingCodes });

  it("national form: the typed digits anywhere, plus the E.164 number where it is valid (default region: possible)", () => {
    expect(terms("0912 345 678", ["84", "34", "1"])).toEqual({ anywhere: ["0912345678"], phonePrefix: ["10912345678", "84912345678"] });
    // No team countries: only the default region's reading.
    expect(terms("0912 345 678")).toEqual({ anywhere: ["0912345678"], phonePrefix: ["10912345678"] });
    // The UK fiction range is possible, not valid: kept for the default region only.
    expect(terms("07700 900123", [], "GB")?.phonePrefix).toEqual(["447700900123"]);
    expect(terms("07700 900123", ["44"], "US")?.phonePrefix).not.toContain("447700900123");
    // Italy keeps the 0 in the number.
    expect(terms("06 1234 5678", ["39"])?.phonePrefix).toContain("390612345678");
  });

  it("international form: E.164 digits as a prefix of the stored number; not a phone: null", () => {
    expect(terms("+84 (0) 912 345 678", ["34"])).toEqual({ anywhere: [], phonePrefix: ["84912345678"] });
    expect(terms("0084 912 345 678")).toEqual({ anywhere: [], phonePrefix: ["84912345678"] });
    expect(terms("+84 91")).toEqual({ anywhere: [], phonePrefix: ["8491"] });
    expect(terms("nguyen 0912")).toBeNull();
    expect(terms("091")).toBeNull();
    expect(terms("1".repeat(31))).toBeNull();
    expect(isNationalNumberSearch("0912 345 678")).toBe(true);
    expect(isNationalNumberSearch("0084 912")).toBe(false);
    expect(isNationalNumberSearch("+84 0912")).toBe(false);
    expect(isNationalNumberSearch("912 345 678")).toBe(false);
    expect(isNationalNumberSearch(undefined)).toBe(false);
  });

  it("an extension at the end follows the number part's terms after an x (the stored keys' form)", () => {
    const number = { anywhere: [], phonePrefix: ["12125550100x204"] };
    expect(terms("+1 212 555 0100 ext. 204")).toEqual(number);
    expect(terms("+1 212 555 0100 ext 204")).toEqual(number);
    expect(terms("+1 212 555 0100 ext.204")).toEqual(number);
    expect(terms("+1 (212) 555-0100 x204")).toEqual(number);
    expect(terms("+12125550100;ext=204")).toEqual(number);
    expect(terms("+1 212 555 0100 #204")).toEqual(number);
    expect(terms("+1 212 555 0100 EXT. 204")).toEqual(number);
    expect(terms("(212) 555-0100 x204")).toEqual({ anywhere: ["2125550100x204"], phonePrefix: ["12125550100x204"] });
    expect(terms("(212) 555-0100x204")).toEqual({ anywhere: ["2125550100x204"], phonePrefix: ["12125550100x204"] });
    expect(terms("0912 345 678 ext. 12", ["84"])).toEqual({ anywhere: ["0912345678x12"], phonePrefix: ["10912345678x12", "84912345678x12"] });
    expect(isNationalNumberSearch("0912 345 678 x12")).toBe(true);
    // Not a number with an extension: left as it is (a text search, or digits).
    expect(terms("x204")).toBeNull();
    expect(terms("box 12")).toBeNull();
    expect(terms("nguyen x12")).toBeNull();
    expect(withoutPhoneExtension("  +1 212 555 0100 ext. 204 ")).toBe("+1 212 555 0100");
    expect(withoutPhoneExtension("Suite 12")).toBe("Suite 12");
    expect(withoutPhoneExtension("2125550100")).toBe("2125550100");
  });
});
