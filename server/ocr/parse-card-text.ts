// Text → card fields. Used for OCR output and for pasted e-mail signatures alike.
import { type FieldKey, type OcrWord, type ParseOptions, type ParsedCard, type PhoneEntry, emptyConfidence, emptyFields } from "./types";
import { findEmails, findLinks, findWebsites, isLinkedIn, FREE_MAIL_DOMAINS } from "./web-and-email";
import { findPhonesInLine, looksLikePhoneLine, type FoundPhone } from "./phones";
import { inferRegion, toPhoneRegion } from "./region";
import { addressScore, cjkNameShapeScore, departmentScore, isAddressLabelled, legalFormScore, splitCjkCompanyTitle, splitCjkNameTitle, stripAddressLabel, titleScore, withoutLegalForm } from "./line-kinds";
import { nameShapeScore, naturalName, restoreUmlautsFromEmail, stripHonorifics } from "./person-name";
import { collapseSpaces, fold, foldGerman, hasCjk, isMostlyUpper, naturalCase } from "./text-utils";

// Cards hold a few hundred characters; anything beyond this is not a card and only costs time.
const MAX_TEXT = 20_000;
const MAX_LINES = 300;
// A longer line is prose or junk, never one card line. Some recognisers cost more than linear time on a long run
// without spaces (20,000 characters in one line took seconds), so such a line is read in pieces, cut at a space
// where there is one, so that an e-mail address or a number in a pasted paragraph stays whole.
const MAX_LINE = 500;

function linePieces(t: string): string[] {
  const out: string[] = [];
  let rest = t;
  while (rest.length > MAX_LINE) {
    let cut = rest.lastIndexOf(" ", MAX_LINE);
    if (cut < MAX_LINE / 2) cut = MAX_LINE;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

type Kind = "contact" | "linkedin" | "label" | "address" | "text" | "noise";

interface Line {
  /** line number in the input text (= OcrWord.line) */
  n: number;
  text: string;
  kind: Kind;
  /** OCR confidence 0..1 (1 for pasted text) */
  conf: number;
  /** mean word height in pixels, 0 when unknown */
  height: number;
}

// Labels printed alone in a column next to the values (two-column layouts).
const LABEL_ONLY = new Set([
  "email", "e", "mail", "mobile", "mob", "m", "tel", "t", "phone", "p", "fax", "f", "web", "w", "website", "address", "a",
  "office", "direct", "cell", "c", "didong", "dienthoai", "dt", "dd", "diachi", "telefon", "mobil", "adresse", "site",
]);

/** Remove control characters (keep newlines and tabs) so nothing odd reaches the UI; text is never interpreted as markup. */
function sanitize(text: string): string {
  return (
    text
      .normalize("NFC")
      .replace(/\r\n?/g, "\n")
      // eslint-disable-next-line no-control-regex
      // Bidi embeddings, overrides and isolates too: Android and WhatsApp wrap a copied name in them, and the name
      // rules did not see "\u202aJohn Smith\u202c" as a name (hostile review).
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
      // Emoji and pictographs in signatures ("Jane Cooper 🚀", "📞 +44 …", "Acme®") are decoration: a space keeps the
      // words apart and lets the name and number rules see plain text. "°" stays ("N° 12 rue …").
      .replace(/(?!°)[\p{Extended_Pictographic}\p{So}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u{FE0E}\u{FE0F}\u{20E3}]/gu, " ")
  );
}

function isNoise(s: string): boolean {
  const alnum = s.replace(/[^\p{L}\p{N}]/gu, "").length;
  if (alnum < 2) return true;
  // OCR debris: mostly punctuation, or 1-letter fragments.
  if (alnum / s.replace(/\s/g, "").length < 0.5) return true;
  const words = s.split(" ").filter((w) => /[\p{L}\p{N}]/u.test(w));
  // (Not for Chinese, Japanese or Korean, where two characters make a whole word: "山田 太郎 部長".)
  if (words.length >= 3 && words.every((w) => w.length <= 2 && !hasCjk(w))) return true;
  return false;
}

function lineStats(n: number, words: OcrWord[] | undefined, lineConfidences: number[] | undefined): { conf: number; height: number } {
  let conf = 1;
  let height = 0;
  const own = words?.filter((w) => w.line === n) ?? [];
  if (lineConfidences && lineConfidences[n] !== undefined) conf = lineConfidences[n];
  else if (own.length) conf = own.reduce((a, w) => a + w.confidence, 0) / own.length;
  if (own.length) height = own.reduce((a, w) => a + (w.bbox.y1 - w.bbox.y0), 0) / own.length;
  return { conf: Math.max(0, Math.min(1, conf)), height };
}

/** Same registrable domain ("mail.acme.de" and "acme.de"; "acme.com.au" and "www.acme.com.au"). */
function sameSite(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith("." + y) || y.endsWith("." + x) || (domainCore(x) === domainCore(y) && x.split(".").pop() === y.split(".").pop());
}

/** Registrable part of a host without public suffix: "mail.hollowmere-labs.com" → "hollowmere-labs". */
export function domainCore(host: string): string {
  const parts = host.toLowerCase().split(".");
  let tldParts = 1;
  if (parts.length >= 3 && /^(co|com|org|net|gov|edu|ac)$/.test(parts[parts.length - 2])) tldParts = 2;
  return parts[parts.length - tldParts - 1] ?? parts[0];
}

function companyFromDomain(core: string): string {
  return core
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

/** 0..1: does the line spell the company of this domain ("Amberlune Capital" ~ amberlune-capital.com). */
function domainSimilarity(line: string, core: string): number {
  const c = core.replace(/[^a-z0-9]/g, "");
  const l = fold(withoutLegalForm(line));
  if (c.length < 3 || l.length < 3) return 0;
  if (l === c) return 1;
  if (c.startsWith(l) || l.startsWith(c)) return 0.9;
  const first = fold(line.split(" ")[0] ?? "");
  if (first.length >= 4 && c.includes(first)) return 0.75;
  let p = 0;
  while (p < c.length && p < l.length && c[p] === l[p]) p++;
  return p >= 5 ? 0.6 : 0;
}

/** 0..1: does the e-mail local part spell this name (g.brueckner ~ Günther Brückner, anh.dtm ~ Dương Thị Minh Anh). */
function emailNameSimilarity(name: string, local: string | null): number {
  if (!local) return 0;
  const l = local.toLowerCase().replace(/[^a-z]/g, "");
  const tokens = name.split(/[\s-]+/).filter(Boolean);
  let best = 0;
  for (const t of tokens) {
    for (const f of [fold(t), foldGerman(t)]) {
      if (f.length >= 3 && l.includes(f)) best = Math.max(best, f.length >= 4 ? 1 : 0.7);
    }
  }
  if (best) return best;
  const initials = tokens.map((t) => fold(t).charAt(0)).join("");
  if (initials.length >= 2 && l.includes(initials)) return 0.6;
  return 0;
}

function caseCompany(s: string): string {
  if (!isMostlyUpper(s) || s.replace(/[^\p{L}]/gu, "").length <= 4) return s;
  return naturalCase(s);
}

function caseTitle(s: string): string {
  return isMostlyUpper(s) && s.replace(/[^\p{L}]/gu, "").length > 4 ? naturalCase(s) : s;
}

function cleanFieldText(s: string): string {
  // "_"/"~" at the ends are OCR debris of rules and bullets; a spaced "~" between words is a misread dash.
  return collapseSpaces(s.replace(/^[\s|•·,;:–_~-]+|[\s|•·,;:–_~-]+$/g, "").replace(/(\p{L})\s+~\s+(\p{L})/gu, "$1 – $2")).replace(/\s+([.,])/g, "$1");
}

/** Logo marks read as stray letters or bars in front of the company name ("1 | | Công ty …", "A Solvane …"). */
function stripLeadingDebris(s: string): string {
  let out = s;
  for (;;) {
    const m = out.match(/^(\S{1,2})\s+(?=\S)/u);
    if (!m || /^[\p{Lu}][\p{Ll}]$/u.test(m[1]) || !/^([^\p{L}\p{N}]+|\p{L}|\p{N}|[\p{L}\p{N}][^\p{L}\p{N}])$/u.test(m[1])) return out;
    out = out.slice(m[0].length);
  }
}

export function parseCardText(input: string, opts: ParseOptions = {}): ParsedCard {
  const fields = emptyFields();
  const confidence = emptyConfidence();
  const sourceLines: Partial<Record<FieldKey, number[]>> = {};
  const text = sanitize(typeof input === "string" ? input : "").slice(0, MAX_TEXT);

  const lines: Line[] = [];
  text.split("\n").slice(0, MAX_LINES).forEach((raw, n) => {
    const t = collapseSpaces(raw.replace(/\t/g, " "));
    if (!t) return;
    const { conf, height } = lineStats(n, opts.words, opts.lineConfidences);
    for (const piece of linePieces(t)) lines.push({ n, text: piece, kind: isNoise(piece) ? "noise" : "text", conf, height });
  });

  // E-mail and website first: their domains tell the region and the company.
  let emailLine: Line | null = null;
  for (const line of lines) {
    if (line.kind === "noise") continue;
    const e = findEmails(line.text);
    if (e.length && !fields.email) {
      fields.email = e[0].email;
      emailLine = line;
    }
  }
  let webLine: Line | null = null;
  let webExplicit = false;
  const mailDomain = fields.email ? fields.email.split("@")[1] : null;
  let webMatchesMail = false;
  for (const line of lines) {
    if (line.kind === "noise") continue;
    if (isLinkedIn(line.text) && !findEmails(line.text).length) {
      line.kind = "linkedin";
      continue;
    }
    // The first host, unless a later one is the e-mail's own domain (a signature may list a partner's or a
    // scheduler's site before the company's).
    for (const w of findWebsites(line.text, mailDomain)) {
      const matches = !!mailDomain && sameSite(w.host, mailDomain);
      if (!fields.website || (matches && !webMatchesMail)) {
        fields.website = w.host;
        webExplicit = w.explicit;
        webLine = line;
        webMatchesMail = matches;
      }
    }
  }
  let emailRepaired = false;
  if (!fields.email && fields.website) {
    const rebuilt = rebuildEmail(lines, fields.website);
    if (rebuilt) {
      fields.email = rebuilt.email;
      emailLine = rebuilt.line;
      emailRepaired = true;
    }
  }
  const emailDomain = fields.email ? fields.email.split("@")[1] : null;
  const region = inferRegion(text, [emailDomain, fields.website].filter((h): h is string => !!h)).region;
  const regions = [toPhoneRegion(region), toPhoneRegion(opts.defaultRegion)];

  // Phones, and which lines are contact lines.
  const phones: FoundPhone[] = [];
  const phoneLines = new Map<string, Line>();
  for (const line of lines) {
    if (line.kind === "noise" || line.kind === "linkedin") continue;
    const found = findPhonesInLine(line.text, regions);
    for (const p of found) {
      if (!phones.some((q) => q.e164 === p.e164)) {
        phones.push(p);
        phoneLines.set(p.e164, line);
      }
    }
    if (found.length || line === emailLine || line === webLine || findEmails(line.text).length || findWebsites(line.text).length || findLinks(line.text).length || looksLikePhoneLine(line.text)) {
      line.kind = "contact";
    } else if (LABEL_ONLY.has(fold(line.text))) {
      line.kind = "label";
    } else if (addressScore(line.text) >= 0.5) {
      line.kind = "address";
    }
  }

  // Address: the best run of consecutive address lines.
  const textual = lines.filter((l) => l.kind !== "noise");
  let bestRun: Line[] = [];
  let bestRunScore = 0;
  for (let i = 0; i < textual.length; i++) {
    if (textual[i].kind !== "address") continue;
    const run: Line[] = [];
    let j = i;
    while (j < textual.length && textual[j].kind === "address") run.push(textual[j++]);
    // A preceding line ending with "," ("Harbourfront Centre,") or labelled belongs to it.
    const prev = textual[i - 1];
    if (prev && prev.kind === "text" && (/,\s*$/.test(prev.text) || isAddressLabelled(prev.text)) && titleScore(prev.text) === 0) run.unshift(prev);
    const score = run.reduce((a, l) => a + addressScore(l.text), 0);
    if (run.some((l) => addressScore(l.text) >= 0.8) && score > bestRunScore) {
      bestRun = run;
      bestRunScore = score;
    }
    i = j - 1;
  }
  // Lines that looked like address parts but are not in the chosen run go back to the free-text pool.
  for (const l of textual) if (l.kind === "address" && !bestRun.includes(l)) l.kind = "text";
  if (bestRun.length) {
    fields.address = bestRun.map((l) => cleanFieldText(stripAddressLabel(l.text))).filter(Boolean).join(", ");
    bestRun.forEach((l) => (l.kind = "address"));
    confidence.address = 0.85 * avg(bestRun.map((l) => l.conf));
    sourceLines.address = bestRun.map((l) => l.n);
  }

  // Free-text lines: company, title, name.
  const free = textual.filter((l) => l.kind === "text");
  const used = new Set<Line>();

  let company: { line: Line; certainty: number; text?: string } | null = null;
  let title: { lines: Line[]; certainty: number; text: string } | null = null;

  // "Head of Partnerships, Northwind Ltd" / "VP Sales at Acme" / "Acme GmbH | Sales Director": one line holding both.
  const siteCores = [fields.website, emailDomain && !FREE_MAIL_DOMAINS.has(emailDomain) ? emailDomain : null]
    .filter((h): h is string => !!h)
    .map(domainCore);
  for (const l of free) {
    const split = splitTitleCompany(l.text, siteCores);
    if (!split) continue;
    title = { lines: [l], certainty: split.titleCertainty, text: cleanFieldText(split.title) };
    used.add(l);
    // A line of its own with a legal form ("Northwind Ltd") is the better company name; the split still gives the title.
    if (!free.some((o) => o !== l && legalFormScore(o.text) >= 0.8)) company = { line: l, certainty: split.companyCertainty, text: split.company };
    break;
  }

  // "株式会社サンプル商事 営業部 部長": a CJK company and title on one line, split at the space.
  if (!company && !title) {
    for (const l of free) {
      const split = splitCjkCompanyTitle(l.text);
      if (!split) continue;
      title = { lines: [l], certainty: 0.85, text: split.title };
      company = { line: l, certainty: 0.9, text: split.company };
      used.add(l);
      break;
    }
  }

  // Company by legal form.
  if (!company) {
    for (const l of free) {
      if (used.has(l)) continue;
      const s = legalFormScore(l.text);
      if (s >= 0.8 && (!company || s > company.certainty)) company = { line: l, certainty: s };
    }
  }
  if (company) used.add(company.line);

  // Title by job words; a department or a wrapped remainder on the next line is appended.
  const titleFromSplit = !!title;
  if (!title) {
    for (const l of free) {
      if (used.has(l)) continue;
      const s = titleScore(l.text);
      if (s > (title?.certainty ?? 0.3)) title = { lines: [l], certainty: s, text: cleanFieldText(l.text) };
    }
  }
  // "박지성 대표" / "山田 太郎 部長": the title line starts with the name.
  let nameBeforeTitle: { line: Line; text: string } | null = null;
  if (title && !titleFromSplit && title.lines.length === 1) {
    const split = splitCjkNameTitle(title.lines[0].text);
    if (split) {
      nameBeforeTitle = { line: title.lines[0], text: split.name };
      title.text = split.title;
    }
  }
  if (title && !titleFromSplit) {
    title.lines.forEach((l) => used.add(l));
    const first = title.lines[0];
    const next = textual[textual.indexOf(first) + 1];
    const prev = textual[textual.indexOf(first) - 1];
    // Chinese, Japanese and Korean print the department before the title, on its own line or the same one:
    // "営業部" above "部長" gives "営業部 部長", as "영업부 부장" would be printed on one line.
    const cjkDepartment = (l: Line | undefined): l is Line =>
      !!l && l.kind === "text" && !used.has(l) && hasCjk(l.text) && departmentScore(l.text) > 0 && titleScore(l.text) < 0.9 && legalFormScore(l.text) < 0.8;
    if (hasCjk(first.text) && (cjkDepartment(prev) || cjkDepartment(next))) {
      const dept = cjkDepartment(prev) ? prev : (next as Line);
      title.text = `${cleanFieldText(dept.text)} ${title.text}`;
      title.lines = dept === prev ? [dept, first] : [first, dept];
      used.add(dept);
    } else if (next && next.kind === "text" && !used.has(next) && legalFormScore(next.text) < 0.8 && nameShapeScore(stripHonorifics(next.text).name) < 0.6 && titleScore(next.text) < 0.9) {
      const wrapped = /[,|–&-]\s*$/.test(first.text);
      if (wrapped) {
        title.text = cleanFieldText(first.text.replace(/\s*$/, "") + " " + next.text);
        title.lines.push(next);
        used.add(next);
      } else if (departmentScore(next.text) > 0) {
        title.text = `${cleanFieldText(first.text)}, ${cleanFieldText(next.text)}`;
        title.lines.push(next);
        used.add(next);
      }
    }
  }

  // Name: the most name-like remaining line; e-mail local part, size and position add evidence.
  const emailLocal = fields.email ? fields.email.split("@")[0] : null;
  const maxHeight = Math.max(0, ...free.map((l) => l.height));
  let name: { line: Line; score: number; text: string } | null = null;
  free.forEach((l, idx) => {
    if (used.has(l)) return;
    const { name: stripped, stripped: hadHonorific } = stripHonorifics(l.text);
    let score = Math.max(nameShapeScore(stripped), cjkNameShapeScore(stripped));
    if (score < 0.3 && !(score > 0 && hadHonorific)) return;
    score += 0.35 * emailNameSimilarity(stripped, emailLocal);
    if (hadHonorific) score += 0.15;
    if (maxHeight > 0 && l.height >= maxHeight * 0.95) score += 0.1;
    if (title && free[idx + 1] === title.lines[0]) score += 0.1;
    if (titleScore(l.text) > 0) score -= 0.35;
    if (departmentScore(l.text) > 0) score -= 0.25;
    if (legalFormScore(l.text) > 0) score -= 0.3;
    if (emailDomain && domainSimilarity(l.text, domainCore(emailDomain)) >= 0.75) score -= 0.4;
    if (!name || score > name.score) name = { line: l, score, text: stripped };
  });
  let chosenName = name as { line: Line; score: number; text: string } | null;
  if (nameBeforeTitle && (!chosenName || chosenName.score < 0.5)) chosenName = { ...nameBeforeTitle, score: 0.7 };
  if (chosenName && chosenName.score >= 0.5) {
    used.add(chosenName.line);
    fields.fullName = naturalName(chosenName.text);
    confidence.fullName = Math.min(0.95, chosenName.score) * chosenName.line.conf;
    sourceLines.fullName = [chosenName.line.n];
  }

  // "1.brandt@…" on Lukas Brandt's card: a digit standing for the initial the name starts with (1/l/i, 0/o, 5/s).
  if (fields.email && fields.fullName) {
    const [local, domain] = fields.email.split("@");
    const m = local.match(/^([015|])([._-].+)$/);
    const initial = fold(fields.fullName).charAt(0);
    const lookalike: Record<string, string> = { "1": "li", "|": "li", "0": "o", "5": "s" };
    if (m && lookalike[m[1]]?.includes(initial)) fields.email = `${initial}${m[2]}@${domain}`;
  }

  if (fields.email && fields.fullName) fields.fullName = restoreUmlautsFromEmail(fields.fullName, fields.email);

  // Company from a line that spells the e-mail/website domain, else from the domain itself.
  const domainHost = fields.website ?? (emailDomain && !FREE_MAIL_DOMAINS.has(emailDomain) ? emailDomain : null);
  if (!company && domainHost) {
    const core = domainCore(domainHost);
    let best: { line: Line; sim: number } | null = null;
    for (const l of free) {
      if (used.has(l)) continue;
      const sim = domainSimilarity(l.text, core);
      if (sim > (best?.sim ?? 0.55)) best = { line: l, sim };
    }
    if (best) {
      company = { line: best.line, certainty: 0.6 + 0.3 * best.sim };
      used.add(best.line);
    } else {
      const spelled = companySpelledInLine(lines, core);
      if (spelled) {
        // "BLUEQUILL DYNAMICS m.ng@bluequilldynamics.com.sg": the name printed next to the contact data.
        fields.company = caseCompany(spelled.text);
        confidence.company = 0.75 * spelled.line.conf;
        sourceLines.company = [spelled.line.n];
      } else {
        fields.company = companyFromDomain(core);
        confidence.company = 0.35;
      }
    }
  }
  if (!company) {
    // Weak legal-ish words ("… Consulting", "… Group").
    for (const l of free) {
      if (used.has(l)) continue;
      const s = legalFormScore(l.text);
      if (s > 0 && (!company || s > company.certainty)) company = { line: l, certainty: s + 0.2 };
    }
  }
  if (company) {
    fields.company = caseCompany(cleanFieldText(stripLeadingDebris(company.text ?? company.line.text)));
    confidence.company = Math.min(0.95, company.certainty) * company.line.conf;
    sourceLines.company = [company.line.n];
  }

  // No name, but the text has Chinese, Japanese or Korean lines: the name is most likely printed in a form the rules
  // above do not know. Confidence 0 with no value marks the empty field "check this" in draft review, where an absent
  // name otherwise carries no mark. (This is the one case of a null field with a confidence.)
  if (!fields.fullName && textual.some((l) => hasCjk(l.text))) {
    confidence.fullName = 0;
  }

  if (title) {
    fields.title = caseTitle(title.text);
    confidence.title = Math.min(0.9, title.certainty) * avg(title.lines.map((l) => l.conf));
    sourceLines.title = title.lines.map((l) => l.n);
  }

  if (fields.email && emailLine) {
    confidence.email = (emailRepaired ? 0.6 : 0.95) * emailLine.conf;
    sourceLines.email = [emailLine.n];
  }
  if (fields.website && webLine) {
    confidence.website = (webExplicit ? 0.92 : 0.8) * webLine.conf;
    sourceLines.website = [webLine.n];
  }

  const entries: PhoneEntry[] = phones.map(({ e164, type, raw }) => ({ e164, type, raw }));
  const firstPhone = phones.find((p) => p.type !== "fax");
  const fax = phones.find((p) => p.type === "fax")?.e164 ?? null;
  if (firstPhone) {
    fields.phone = firstPhone.e164;
    const line = phoneLines.get(firstPhone.e164);
    confidence.phone = (firstPhone.valid ? 0.92 : 0.75) * (line?.conf ?? 1);
    if (line) sourceLines.phone = [line.n];
  }

  for (const k of Object.keys(confidence) as FieldKey[]) {
    const c = confidence[k];
    if (c !== null) confidence[k] = Math.round(Math.max(0, Math.min(1, c)) * 1000) / 1000;
  }
  return {
    fields,
    confidence,
    phones: entries,
    fax,
    sourceWords: opts.words ? wordsFor(sourceLines, fields, opts.words) : {},
    qr: null,
  };
}

// Separators between a title and a company on one line. The words only with spaces around them.
const TITLE_COMPANY_SEP = /\s*[,|·•]\s+|\s+[|·•]\s*|\s+[–—-]\s+|\s+(?:at|@|bei|chez|tại)\s+/giu;

/**
 * One line holding a job title and a company, in either order: "Head of Partnerships, Northwind Ltd",
 * "VP Sales at Acme", "Acme GmbH | Sales Director". The company side has a legal form or spells the
 * e-mail/website domain and no job word; the title side has a job word and no legal form. Titles with a
 * department ("Head of Marketing | APAC", "Sales Manager – Enterprise Sales") have no company side and stay whole.
 */
export function splitTitleCompany(line: string, siteCores: string[]): { title: string; company: string; titleCertainty: number; companyCertainty: number } | null {
  if (line.length > 200 || titleScore(line) === 0) return null;
  const cuts = [...line.matchAll(TITLE_COMPANY_SEP)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
  if (!cuts.length || cuts.length > 6) return null;
  const companyCertainty = (part: string): number => {
    // "Ltd." alone (from "ABC Co., Ltd.") is not a company: the name must be there too.
    if (titleScore(part) > 0 || withoutLegalForm(part).replace(/[^\p{L}\p{N}]/gu, "").length < 2) return 0;
    if (legalFormScore(part) >= 0.8) return 0.9;
    const sim = Math.max(0, ...siteCores.map((c) => domainSimilarity(part, c)));
    return sim >= 0.6 ? 0.6 + 0.3 * sim : 0;
  };
  const titleOk = (part: string) => titleScore(part) > 0 && legalFormScore(part) < 0.8;
  const tryCut = (c: { start: number; end: number }, companyRight: boolean) => {
    const left = line.slice(0, c.start).trim();
    const right = line.slice(c.end).trim();
    const [t, co] = companyRight ? [left, right] : [right, left];
    const cc = companyCertainty(co);
    if (!cc || !titleOk(t)) return null;
    return { title: t, company: co, titleCertainty: Math.min(0.85, titleScore(t)), companyCertainty: cc * 0.95 };
  };
  // "Title, Company" is the usual order; the last cut keeps "Head of Sales, EMEA" together. Then "Company | Title".
  for (let i = cuts.length - 1; i >= 0; i--) {
    const r = tryCut(cuts[i], true);
    if (r) return r;
  }
  for (const c of cuts) {
    const r = tryCut(c, false);
    if (r) return r;
  }
  return null;
}

/** Edit distance (small strings only). */
function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 5) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

const EMAIL_LABEL = /^(e|email|e-mail|mail|courriel)[:.]?$/i;

/**
 * OCR broke the e-mail so the address pattern no longer matches ("samuel bennett@amberiune-capitalcom."): rebuild it
 * from the "@" line when the text after "@" is within a few OCR errors of the website host, which then gives the
 * domain. A space inside the local part right after an e-mail label is a lost "_" (underscores are thin and low).
 */
export function rebuildEmail<L extends { text: string; kind: string }>(lines: L[], website: string): { email: string; line: L } | null {
  const host = website.toLowerCase();
  const hostKey = host.replace(/[^a-z0-9]/g, "");
  for (const line of lines) {
    if (line.kind === "noise" || !line.text.includes("@")) continue;
    const m = line.text.match(/(?:^|\s)((?:[A-Za-z0-9][A-Za-z0-9._%+-]*\s)?)([A-Za-z0-9][A-Za-z0-9._%+-]*)\s*@\s*(\S+)/);
    if (!m) continue;
    const before = line.text.slice(0, m.index ?? 0).trim().split(/\s+/).pop() ?? "";
    const domainKey = m[3].toLowerCase().replace(/[^a-z0-9]/g, "");
    if (domainKey.length < 4 || levenshtein(domainKey, hostKey) > Math.max(2, Math.round(hostKey.length * 0.15))) continue;
    let local = m[2];
    const extra = m[1].trim();
    if (extra && !EMAIL_LABEL.test(extra) && /^[a-z][a-z0-9]*$/.test(extra) && /^[a-z]/.test(local) && (EMAIL_LABEL.test(before) || !before)) local = `${extra}_${local}`;
    local = local.replace(/^[._%+-]+|[._%+-]+$/g, "");
    if (!local) continue;
    return { email: `${local}@${host}`.toLowerCase(), line };
  }
  return null;
}

/** A run of words on any line that spells the domain ("BLUEQUILL DYNAMICS" ~ bluequilldynamics.com.sg), with a legal form after it. */
function companySpelledInLine(lines: Line[], core: string): { line: Line; text: string } | null {
  const key = core.replace(/[^a-z0-9]/g, "");
  if (key.length < 5) return null;
  for (const line of lines) {
    if (line.kind === "noise") continue;
    const words = line.text.split(" ");
    for (let i = 0; i < words.length; i++) {
      let acc = "";
      for (let j = i; j < Math.min(words.length, i + 4); j++) {
        acc += fold(words[j]);
        if (acc.length > key.length) break;
        if (acc === key && (j > i || /^\p{Lu}/u.test(words[i]))) {
          let end = j + 1;
          // Keep a legal form printed right after the name.
          for (let k = j + 2; k <= Math.min(words.length, j + 4); k++) if (legalFormScore(words.slice(i, k).join(" ")) >= 0.8) end = k;
          return { line, text: words.slice(i, end).join(" ") };
        }
      }
    }
  }
  return null;
}

function avg(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Word indices per field: the words of the field's lines that are part of the value (all of the line's words if none match). */
function wordsFor(sourceLines: Partial<Record<FieldKey, number[]>>, fields: Record<FieldKey, string | null>, words: OcrWord[]): Partial<Record<FieldKey, number[]>> {
  const out: Partial<Record<FieldKey, number[]>> = {};
  for (const [key, lineNs] of Object.entries(sourceLines) as [FieldKey, number[]][]) {
    const value = fold(fields[key] ?? "");
    const digits = (fields[key] ?? "").replace(/\D/g, "");
    const inLines = words.map((w, i) => ({ w, i })).filter(({ w }) => lineNs.includes(w.line));
    const matching = inLines.filter(({ w }) => {
      const f = fold(w.text);
      if (!f) return false;
      if (key === "phone") return /\d/.test(w.text) && digits.includes(w.text.replace(/\D/g, "").slice(-3));
      // Labels ("E:", "M") are short and would match anywhere; only real parts of the value count.
      return (f.length >= 3 || f === value) && (value.includes(f) || (f.length > 4 && f.includes(value.slice(0, 5))));
    });
    out[key] = (matching.length ? matching : inLines).map(({ i }) => i);
  }
  return out;
}
