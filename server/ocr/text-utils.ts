// Small string helpers shared by the parser modules.

/** Lower-case, strip diacritics (đ → d too), keep letters/digits only. Used to compare names with e-mail local parts and domains. */
export function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

/** German transliteration (ü → ue …) which people use in e-mail addresses. */
export function foldGerman(s: string): string {
  return fold(s.replace(/[äÄ]/g, "ae").replace(/[öÖ]/g, "oe").replace(/[üÜ]/g, "ue"));
}

/** Han, kana and Hangul: Chinese, Japanese and Korean text, which fold() reduces to nothing. */
const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function hasCjk(s: string): boolean {
  return CJK_RE.test(s);
}

export function collapseSpaces(s: string): string {
  return s.replace(/[\s\u00a0]+/g, " ").trim();
}

export function isMostlyUpper(s: string): boolean {
  const letters = s.replace(/[^\p{L}]/gu, "");
  if (letters.length < 2) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
  return upper / letters.length > 0.8;
}

/** Words that stay as they are when a line printed in capitals is re-cased (legal forms, acronyms). */
const KEEP_CASE = new Set([
  "GmbH", "AG", "KG", "SE", "LLC", "LLP", "PLC", "JSC", "SAS", "SARL", "SA", "SRL", "BV", "NV", "Ltd", "Ltd.", "Pte", "Pte.",
  "Pty", "Inc", "Inc.", "Corp", "Corp.", "Co", "Co.", "CEO", "CFO", "CTO", "COO", "CMO", "VP", "HR", "IT", "QA", "UX", "UI",
  "APAC", "EMEA", "DACH", "TNHH", "CP", "EU", "UK", "US", "USA", "R&D", "B2B", "AI",
]);
const KEEP_CASE_BY_UPPER = new Map([...KEEP_CASE].map((w) => [w.toUpperCase(), w]));
const SMALL_WORDS = new Set(["of", "and", "the", "for", "de", "des", "du", "la", "le", "et", "am", "im", "und", "von", "der", "van", "y", "à", "en"]);

/** "OWEN O'BRIEN-SMITH" → "Owen O'Brien-Smith"; keeps legal forms and acronyms, lower-cases small joiner words. */
export function naturalCase(s: string, opts: { keepAcronyms?: boolean } = {}): string {
  const words = s.split(" ");
  return words
    .map((w, i) => {
      const known = KEEP_CASE_BY_UPPER.get(w.toUpperCase().replace(/[,]$/, ""));
      if (opts.keepAcronyms !== false && known) return w.endsWith(",") && !known.endsWith(",") ? known + "," : known;
      const lower = w.toLocaleLowerCase();
      if (i > 0 && SMALL_WORDS.has(lower)) return lower;
      return lower.replace(/(^|[-'’(&/.])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase());
    })
    .join(" ");
}

/** Escape for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
