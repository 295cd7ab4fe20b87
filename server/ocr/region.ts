// Infer the country a card comes from, to parse phone numbers printed without a country code.
import { fold } from "./text-utils";

/** Country-code TLDs (checked on the e-mail domain and the website host). */
const TLD_REGION: [RegExp, string][] = [
  [/\.vn$/, "VN"], [/\.de$/, "DE"], [/\.(co\.uk|org\.uk|uk)$/, "GB"], [/\.au$/, "AU"], [/\.sg$/, "SG"], [/\.fr$/, "FR"],
  [/\.at$/, "AT"], [/\.ch$/, "CH"], [/\.nl$/, "NL"], [/\.be$/, "BE"], [/\.it$/, "IT"], [/\.es$/, "ES"], [/\.jp$/, "JP"],
  [/\.hk$/, "HK"], [/\.my$/, "MY"], [/\.th$/, "TH"], [/\.nz$/, "NZ"], [/\.ca$/, "CA"], [/\.ie$/, "IE"], [/\.in$/, "IN"],
];

/** Country and large-city names as they appear in addresses (folded: lower-case, no diacritics, no spaces). */
const PLACE_REGION: [string[], string][] = [
  [["vietnam", "hanoi", "hochiminh", "tphcm", "danang", "haiphong", "cantho", "saigon", "nhatrang", "bienhoa", "thuduc"], "VN"],
  [["singapore"], "SG"],
  [["deutschland", "germany", "berlin", "hamburg", "munchen", "muenchen", "frankfurt", "koln", "stuttgart", "dusseldorf", "leipzig", "dresden", "hannover", "nurnberg"], "DE"],
  [["france", "paris", "lyon", "marseille", "bordeaux", "lille", "toulouse", "nantes", "strasbourg", "montpellier", "rennes"], "FR"],
  [["unitedkingdom", "greatbritain", "northernireland", "england", "scotland", "wales", "london", "manchester", "bristol", "leeds", "birmingham", "liverpool", "edinburgh", "glasgow", "cardiff", "sheffield", "newcastle"], "GB"],
  [["australia", "sydney", "melbourne", "brisbane", "perth", "adelaide", "canberra", "hobart", "goldcoast"], "AU"],
  [["unitedstates", "usa", "newyork", "chicago", "sanfrancisco", "losangeles", "seattle", "boston", "denver", "atlanta", "miami"], "US"],
];

/**
 * Names too short to look for inside a word ("uk" is in "Ukraine" and "Milwaukee"): they count only as a whole
 * part of the address, as a country column gives them ("…, London, UK"; an import joins its columns with ", ").
 */
const PLACE_EXACT = new Map([["uk", "GB"], ["gb", "GB"]]);

const COUNTRY_CODE_REGION: Record<string, string> = {
  "84": "VN", "49": "DE", "44": "GB", "61": "AU", "65": "SG", "33": "FR", "1": "US", "43": "AT", "41": "CH", "31": "NL",
  "32": "BE", "39": "IT", "34": "ES", "81": "JP", "852": "HK", "60": "MY", "66": "TH", "64": "NZ", "353": "IE", "91": "IN",
};

/** Postcode shapes that only one of our common countries uses. */
const POSTCODE_REGION: [RegExp, string][] = [
  [/\b(NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b/, "AU"],
  [/\b[A-Z]{2}\s+\d{5}(-\d{4})?\b/, "US"],
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b/, "GB"],
  [/\bSingapore\s+\d{6}\b/i, "SG"],
];

export interface RegionEvidence {
  region: string | undefined;
  /** why, for debugging */
  source: string;
}

/** Best guess of the card's country from its own text, or undefined. */
export function inferRegion(text: string, hosts: string[]): RegionEvidence {
  const votes = new Map<string, number>();
  const vote = (r: string, w: number) => votes.set(r, (votes.get(r) ?? 0) + w);

  // An explicit international prefix on any number is the strongest hint.
  for (const m of text.matchAll(/(?:^|[^\d])\+\s?(\d{1,3})/g)) {
    const cc = m[1];
    for (const len of [3, 2, 1]) {
      const r = COUNTRY_CODE_REGION[cc.slice(0, len)];
      if (r) { vote(r, 3); break; }
    }
  }
  for (const host of hosts) {
    for (const [re, r] of TLD_REGION) if (re.test(host.toLowerCase())) vote(r, 2);
  }
  for (const [re, r] of POSTCODE_REGION) if (re.test(text)) vote(r, 1.5);
  // Vietnamese diacritics on two or more lines (a name and a title, a company or an address) are a strong sign of a
  // Vietnamese card. On one line only they are most often a person's name, which says where the person's family is
  // from, not where the card's numbers are: a Vietnamese-American's US card read its 212 number as +84 (hostile review).
  const vietnameseLines = text.split("\n").filter((line) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(line)).length;
  if (vietnameseLines >= 2) vote("VN", 1);
  const folded = text.split(/[\n,]/).map(fold);
  for (const [names, r] of PLACE_REGION) {
    if (folded.some((part) => names.some((n) => part.includes(n)))) vote(r, 1);
  }
  for (const r of new Set(folded.map((part) => PLACE_EXACT.get(part)))) if (r) vote(r, 1);
  let best: string | undefined;
  let bestVotes = 0;
  for (const [r, v] of votes) if (v > bestVotes) { best = r; bestVotes = v; }
  return { region: best, source: best ? [...votes].map(([r, v]) => `${r}:${v}`).join(" ") : "none" };
}

/** Our ISO "UK" is libphonenumber's "GB". */
export function toPhoneRegion(region: string | undefined): string | undefined {
  if (!region) return undefined;
  const r = region.toUpperCase();
  return r === "UK" ? "GB" : r;
}
