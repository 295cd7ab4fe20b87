// Typed phone numbers (draft review, contact edits, imports): the country of a number without
// "+" comes from the record's own data, and such a number must be valid there.
import { describe, expect, it } from "vitest";
import { parseTypedPhone, phoneRegionsFor } from "./phone-region";

describe("phoneRegionsFor: the record's own data first, the server default last", () => {
  it.each([
    ["e-mail .com.au", { email: "daniel@bluequill.com.au" }, ["AU", "US"]],
    ["website .fr", { website: "https://www.roseval-conseil.fr/contact" }, ["FR", "US"]],
    ["e-mail .vn", { email: "anh@saomai.vn" }, ["VN", "US"]],
    ["e-mail .de", { email: "k@ahornblatt.de" }, ["DE", "US"]],
    ["a ccTLD region.ts does not list (.pl)", { email: "jan@firma.pl" }, ["PL", "US"]],
    ["a vanity ccTLD says nothing (.io, .co)", { email: "a@startup.io", website: "acme.co" }, ["US"]],
    ["address country", { address: "12 Harbour St, Sydney NSW 2000, Australia" }, ["AU", "US"]],
    ["another valid number", { phones: ["+33199009129"] }, ["FR", "US"]],
    ["a +1 number in Canada", { phones: ["+14165550123"] }, ["CA", "US"]],
    ["OCR text of the card", { text: "Bluequill Logistics\nFax +61 8 5550 3067\nPerth WA 6005" }, ["AU", "US"]],
    ["nothing known", {}, ["US"]],
  ])("%s", (_why, hints, expected) => {
    expect(phoneRegionsFor(hints, "US")).toEqual(expected);
  });

  it("an impossible number does not vote: +1 049… (the bug) does not make a card American", () => {
    expect(phoneRegionsFor({ phones: ["+10491570231"], email: "d@bluequill.com.au" }, "US")).toEqual(["AU", "US"]);
  });

  it("the fallback is used as given (lower case, UK) and an unknown fallback is dropped", () => {
    expect(phoneRegionsFor({}, "gb")).toEqual(["GB"]);
    expect(phoneRegionsFor({}, "UK")).toEqual(["GB"]);
    expect(phoneRegionsFor({}, "ZZ")).toEqual([]);
    expect(phoneRegionsFor({}, undefined)).toEqual([]);
  });

  it("worst inputs: junk, emoji and 10,000 characters do not throw and stay fast", () => {
    const huge = "x".repeat(10_000);
    const t0 = performance.now();
    expect(phoneRegionsFor({ email: huge, website: huge, address: huge, text: `${huge}\n`.repeat(100), phones: [huge, "+", "", null, undefined, "🚀"] }, "US")).toEqual(["US"]);
    expect(phoneRegionsFor({ email: "🚀@🚀.au", website: "javascript:alert(1)", address: "<script>", phones: ["+61 🚀"] }, "US")).toEqual(["US"]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("parseTypedPhone", () => {
  // The QA review's examples: typed as printed on a non-US card, read in the card's country.
  it.each([
    ["0491 570 231", ["AU", "US"], "+61491570231"],
    // The same digits are a valid French number (04 91 57 02 31, Marseille): the record's country decides.
    ["0491 570 231", ["FR", "US"], "+33491570231"],
    ["(07) 5550 8001", ["AU", "US"], "+61755508001"],
    ["0912 345 678", ["VN", "US"], "+84912345678"],
    ["01 99 00 91 29", ["FR", "US"], "+33199009129"],
    ["020 7946 0123", ["GB", "US"], "+442079460123"],
    ["030 12345678", ["DE", "US"], "+493012345678"],
    // A number valid only in the fallback is still the fallback's ("(415) 555-0172" on an Australian contact).
    ["(415) 555-0172", ["AU", "US"], "+14155550172"],
    ["415.555.0172", ["US"], "+14155550172"],
    // International numbers keep working whatever the regions, and "possible" is enough for them.
    ["+61 491 570 231", ["US"], "+61491570231"],
    ["0061 491 570 231", ["US"], "+61491570231"],
    ["+1 555 0100 123", ["US"], "+15550100123"],
    ["+44 20 7946 0123", [], "+442079460123"],
  ] as const)("%s in %j → %s", (raw, regions, e164) => {
    expect(parseTypedPhone(raw, regions)).toMatchObject({ ok: true, value: e164 });
  });

  // Without evidence of the country, these are refused, never stored as +1 0…
  it.each([
    ["0491 570 231", ["US"], /United States/],
    ["(07) 5550 8001", ["US"], /United States/],
    ["0912 345 678", ["US"], /United States/],
    ["01 99 00 91 29", ["US"], /United States/],
    ["0491 570 231", ["SG", "US"], /Singapore or United States/],
    ["07700 900198", ["GB"], /United Kingdom/], // a fiction range: not valid, so type it with +44
    ["0491 570 231", [], /any country/],
  ] as const)("%s in %j is refused with a reason naming the countries tried", (raw, regions, reason) => {
    const r = parseTypedPhone(raw, regions);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(reason);
      expect(r.reason).toMatch(/country code/);
    }
  });

  it.each([
    ["12"],
    ["1".repeat(40)],
    ["+".padEnd(10_000, "9")],
    ["x".repeat(10_000)],
    ["🚀🚀🚀"],
    ["☎️ 0491 570 231 🚀"], // emoji around a valid AU number are fine, but the region decides: US → refused
    ["<script>alert(1)</script>"],
    ["+00 000 000"],
    [""],
  ])("worst input %#: refused, no throw", (raw) => {
    expect(parseTypedPhone(raw, ["US"]).ok).toBe(false);
  });

  it("emoji or labels around a number do not hide it when the country is known", () => {
    expect(parseTypedPhone("☎️ 0491 570 231 🚀", ["AU"])).toMatchObject({ ok: true, value: "+61491570231" });
  });
});
