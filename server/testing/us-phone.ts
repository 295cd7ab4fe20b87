// Random US numbers for tests. The area code comes from a list of real, long-standing US area codes: about 40%
// of the codes from 200 to 899 are unassigned, and libphonenumber calls a number in one "not valid", so a number
// typed without "+1" (as a rep types it off a card) was refused in roughly four runs of ten (e2e
// draft-other-phones failed on "(638) 555-2668").
const US_AREA_CODES = [
  "201", "202", "203", "205", "206", "207", "208", "210", "212", "213", "214", "215", "216", "217", "218", "219",
  "301", "302", "303", "304", "305", "307", "308", "309", "310", "312", "313", "314", "315", "316", "317", "318",
  "401", "402", "404", "405", "406", "407", "408", "409", "410", "412", "413", "414", "415", "417", "419",
  "501", "502", "503", "504", "505", "507", "508", "509", "510", "512", "513", "515", "516", "517", "518",
  "601", "602", "603", "605", "606", "607", "608", "609", "610", "612", "614", "615", "616", "617", "618", "619",
  "702", "703", "704", "706", "707", "708", "712", "713", "714", "715", "716", "717", "718", "719",
  "801", "802", "803", "804", "805", "806", "808", "810", "812", "813", "814", "815", "816", "817", "818",
] as const;

export { US_AREA_CODES };

/** A US number's parts: a real area code, the 555 exchange (kept for fiction), four random digits. */
export function randomUsDigits(): { area: string; line: string } {
  const area = US_AREA_CODES[Math.floor(Math.random() * US_AREA_CODES.length)];
  return { area, line: String(Math.floor(Math.random() * 10_000)).padStart(4, "0") };
}

/** A valid, most likely unused US number in E.164. */
export function randomUsPhone(): string {
  const { area, line } = randomUsDigits();
  return `+1${area}555${line}`;
}

/** `n` different numbers: a list a test compares whole, after code that drops a repeated number. */
export function randomUsPhones(n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) out.add(randomUsPhone());
  return [...out];
}
