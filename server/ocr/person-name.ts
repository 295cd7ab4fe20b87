// Person names: strip honorifics and post-nominals, fix capitals, judge how name-like a line is.
import { collapseSpaces, isMostlyUpper, naturalCase } from "./text-utils";

// Honorifics and academic/professional prefixes (EN, DE, FR, VN). Longest first so "Dr.-Ing." wins over "Dr.".
const HONORIFICS_ANY_CASE = [
  "PGS\\.\\s?TS\\.?", "GS\\.\\s?TS\\.?", "Prof\\.\\s?Dr\\.?(?:-Ing\\.?)?", "Dr\\.?-Ing\\.?", "Dipl\\.?-Ing\\.?(?:\\s?\\(FH\\))?",
  "Dipl\\.?-Kfm\\.?", "Dipl\\.?-Inf\\.?", "Prof\\.?", "Dr\\.?", "Mr\\.?", "Mrs\\.?", "Ms\\.?", "Mx\\.?", "Herr", "Frau", "Mme\\.?",
  "Mlle\\.?", "Maître", "ThS\\.?",
];
// Short ones that are also ordinary words or name parts: only as printed ("Me Dupont", "TS. Lê …").
const HONORIFICS_EXACT_CASE = ["Me", "Pr\\.?", "TS\\.", "TS", "KS\\.?", "BS\\.?", "CN\\.?", "LS\\.?", "M\\.", "Miss", "Sir", "Dame", "Ông", "Bà"];
const HONORIFIC_ANY_RE = new RegExp(`^(?:${HONORIFICS_ANY_CASE.join("|")})(?=[\\s.]|$)[\\s.]*`, "iu");
const HONORIFIC_EXACT_RE = new RegExp(`^(?:${HONORIFICS_EXACT_CASE.join("|")})(?=[\\s.]|$)[\\s.]*`, "u");
const HONORIFIC_EXACT_UPPER_RE = new RegExp(`^(?:${HONORIFICS_EXACT_CASE.map((h) => h.toUpperCase()).join("|")})(?=[\\s.]|$)[\\s.]*`, "u");

// Post-nominals after a comma or at the end: ", PhD", " MBA", ", CPA, FCA" …
const POSTNOMINALS = [
  "PhD", "PHD", "Ph\\.D\\.?", "Ph\\.\\s?D\\.?", "Phd", "MBA", "CPA", "FCA", "ACA", "CFA", "CFP", "MSc", "M\\.Sc\\.?", "BSc", "B\\.Sc\\.?", "MA", "BA", "MD", "M\\.D\\.?",
  "PE", "P\\.E\\.?", "Esq\\.?", "PMP", "CISSP", "FRICS", "MRICS", "CEng", "MIET", "LLM", "LL\\.M\\.?", "DBA", "MEng", "FCCA", "ACCA",
  "CA", "CPEng", "GAICD", "FAICD", "OBE", "MBE", "CBE", "JD", "RN", "SHRM-CP", "MPH", "M\\.A\\.?", "B\\.A\\.?", "Jr\\.?", "Sr\\.?",
];
const PN = POSTNOMINALS.join("|");
// After a comma any listed post-nominal goes; without a comma only the unmistakable ones (a name may end in "Ma").
const POSTNOMINAL_TAIL = new RegExp(`(?:,\\s*(?:${PN})(?:[,\\s]+(?:${PN}))*|\\s+(?:PhD|Ph\\.D\\.?|MBA|CPA|FCA|CFA|MSc|Esq\\.?))\\s*$`, "u");

export function stripHonorifics(line: string): { name: string; stripped: boolean } {
  let s = collapseSpaces(line);
  let stripped = false;
  for (let i = 0; i < 3; i++) {
    // On a card printed in capitals "ME", "PR", "TS." are honorifics as well.
    const exact = isMostlyUpper(s) ? s.match(HONORIFIC_EXACT_UPPER_RE) : s.match(HONORIFIC_EXACT_RE);
    const m = s.match(HONORIFIC_ANY_RE) ?? exact;
    if (!m) break;
    const rest = s.slice(m[0].length).trim();
    // Keep the word when nothing would be left (a person called "Sir").
    if (!rest) break;
    s = rest;
    stripped = true;
  }
  const before = s;
  s = s.replace(POSTNOMINAL_TAIL, "").replace(/[,;]\s*$/, "").trim();
  if (s !== before) stripped = true;
  return { name: s, stripped };
}

/** Vietnamese family names (with diacritics): a line starting with one is very likely a name. */
const VN_FAMILY = new Set([
  "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô", "dương", "lý", "đinh",
  "đoàn", "trương", "lâm", "mai", "trịnh", "cao", "lưu", "tô", "tạ", "hà", "châu", "thái", "vương", "quách", "lương", "kiều", "tăng",
]);

export function startsWithVietnameseFamilyName(s: string): boolean {
  const first = s.split(" ")[0]?.toLocaleLowerCase() ?? "";
  return VN_FAMILY.has(first);
}

/**
 * 0..1: how much the (honorific-stripped) line looks like a person's name by its shape alone.
 * 2–5 words, letters only, each word capitalised.
 */
export function nameShapeScore(s: string): number {
  if (!s || /\d|@|\/|:|&|\|/.test(s)) return 0;
  const words = s.split(" ").filter(Boolean);
  if (words.length < 2 || words.length > 5) return words.length === 1 && s.length >= 3 ? 0.1 : 0;
  const wordRe = /^[\p{Lu}][\p{L}'’.-]*$/u;
  const okWords = words.filter((w) => wordRe.test(w) || /^(van|von|de|der|den|da|di|du|le|la|bin|binti|al|el|y|dos|das|del|ten|ter|zu)$/.test(w));
  if (okWords.length !== words.length) return 0.15;
  if (words.some((w) => w.replace(/[^\p{L}]/gu, "").length === 0)) return 0.1;
  let score = 0.6;
  if (words.length <= 4) score += 0.1;
  if (startsWithVietnameseFamilyName(s)) score += 0.15;
  return Math.min(score, 1);
}

/** Natural capitalisation when the card printed the name in capitals; otherwise unchanged. */
export function naturalName(s: string): string {
  if (!isMostlyUpper(s)) return s;
  return naturalCase(s, { keepAcronyms: false }).replace(/\b(Mc)(\p{Ll})/gu, (_m, p: string, c: string) => p + c.toLocaleUpperCase());
}

const UMLAUT: Record<string, string> = { a: "ä", o: "ö", u: "ü", A: "Ä", O: "Ö", U: "Ü" };

/**
 * Puts back umlauts that OCR dropped from a name when the e-mail address spells them the
 * German way: "Soren Vogel" + soeren_vogel@ → "Sören Vogel", "BRUCKNER" + g.brueckner@ →
 * "BRÜCKNER". Tesseract often loses the dots on capitals and small print; the address, typed
 * by the person, keeps them as ae/oe/ue. A word changes only when an e-mail part contains it
 * with an extra "e" right after one of its a/o/u letters (and nothing else different), so
 * "Mueller" with mueller@ and "Bauer" with bauer@ stay as they are.
 */
export function restoreUmlautsFromEmail(name: string, email: string | null | undefined): string {
  const local = email?.split("@")[0]?.toLowerCase();
  if (!local) return name;
  // Bounded: a local part has at most 64 characters, a name word here at most 40 (the pattern
  // below has two groups per letter).
  const parts = local.slice(0, 64).split(/[^a-z]+/).filter((p) => p.length >= 3);
  if (!parts.length) return name;
  return name.replace(/[A-Za-z]{3,}/g, (word) => {
    if (word.length > 40) return word;
    // "s(o)(e)?ren": each a/o/u may be followed by an "e" the word does not have.
    const pattern = new RegExp([...word.toLowerCase()].map((c) => ("aou".includes(c) ? `(${c})(e?)` : c)).join(""));
    for (const part of parts) {
      const m = part.match(pattern);
      if (!m) continue;
      const groups = m.slice(1);
      if (!groups.some((g, i) => i % 2 === 1 && g === "e")) return word;
      let vowel = 0;
      return [...word].map((c) => ("aouAOU".includes(c) && groups[2 * vowel++ + 1] === "e" ? UMLAUT[c] : c)).join("");
    }
    return word;
  });
}
