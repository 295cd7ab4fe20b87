// Recognisers for the kinds of text lines a card has besides contact data: company, job title, department, address.
import { fold } from "./text-utils";

// Legal forms. Matched as whole tokens; most at the end of the line, VN forms at the start.
const LEGAL_SUFFIX =
  /(?:^|[\s,])(GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|OHG|UG|e\.\s?K\.|SE|Ltd\.?|Limited|LLP|LLC|L\.L\.C\.|Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?,?\s*Ltd\.?|PLC|Pte\.?\s*Ltd\.?|Pty\.?\s*Ltd\.?|Sdn\.?\s*Bhd\.?|S\.?A\.?S\.?|SARL|S\.à\s?r\.l\.|SA|S\.A\.|SRL|BV|B\.V\.|NV|N\.V\.|JSC|J\.S\.C\.?|K\.K\.|Oy|AB|AS|ApS|A\/S)\s*\.?$/u;
const VN_COMPANY = /^(công\s*ty|cty|tập\s*đoàn|tổng\s*công\s*ty|doanh\s*nghiệp|ngân\s*hàng)(?!\p{L})/iu;
const VN_LEGAL = /(?<!\p{L})(TNHH|CP|Cổ\s*phần|MTV)(?!\p{L})/iu;

// The same forms printed in capitals ("PELLORA FREIGHT PTE LTD"); only those that cannot be an ordinary word.
const LEGAL_SUFFIX_CAPS = /(?:^|[\s,])(GMBH|LTD\.?|LIMITED|INC\.?|CORP\.?|CORPORATION|CO\.?,?\s*LTD\.?|PTE\.?\s*LTD\.?|PTY\.?\s*LTD\.?|SDN\.?\s*BHD\.?|SARL)\s*\.?$/u;

export function legalFormScore(line: string): number {
  if (VN_COMPANY.test(line)) return 1;
  if (LEGAL_SUFFIX.test(line) || LEGAL_SUFFIX_CAPS.test(line)) return 0.95;
  if (VN_LEGAL.test(line)) return 0.8;
  if (/\b(Group|Holdings|Partners|Company|Studio|Labs|Solutions|Consulting|Technologies|Systems)\s*$/i.test(line)) return 0.35;
  return 0;
}

/** Strip a legal form (for comparing with the e-mail domain). */
export function withoutLegalForm(line: string): string {
  return line.replace(LEGAL_SUFFIX, "").replace(LEGAL_SUFFIX_CAPS, "").replace(VN_COMPANY, "").replace(VN_LEGAL, "").trim();
}

// Job-title words (EN, DE, FR, VN), folded. A title line contains one of these as a word.
const TITLE_WORDS = [
  "manager", "director", "directeur", "directrice", "engineer", "lead", "head", "chief", "ceo", "cfo", "cto", "coo", "cmo", "cio",
  "founder", "cofounder", "owner", "president", "vp", "vice", "partner", "associate", "architect", "scientist", "consultant",
  "controller", "executive", "officer", "coordinator", "specialist", "analyst", "developer", "designer", "administrator", "assistant",
  "advisor", "adviser", "accountant", "counsel", "attorney", "lawyer", "representative", "supervisor", "intern", "principal",
  "chairman", "chairwoman", "secretary", "treasurer", "strategist", "researcher", "professor", "lecturer", "programmer",
  "technician", "agent", "broker", "buyer", "planner", "recruiter", "editor", "producer", "trainer", "nurse", "physician",
  "leiter", "leiterin", "geschaftsfuhrer", "geschaftsfuhrerin", "geschaeftsfuehrer", "prokurist", "prokuristin", "vertriebsleiter",
  "vertriebsleiterin", "berater", "beraterin", "referent", "referentin", "ingenieur", "ingenieurin", "inhaber", "inhaberin",
  "vorstand", "abteilungsleiter", "teamleiter", "projektleiter", "sachbearbeiter", "entwickler", "entwicklerin", "mitarbeiter",
  "responsable", "chef", "cheffe", "chargee", "charge", "ingenieure", "gerant", "gerante", "conseiller", "conseillere",
  "commercial", "commerciale", "attache", "attachee", "avocat", "avocate", "comptable", "fondateur", "fondatrice", "pdg", "dg",
  "giamdoc", "truongphong", "phogiamdoc", "pho", "truong", "nhanvien", "chuyenvien", "kysu", "ketoan", "trolygiamdoc", "quanly",
  "tonggiamdoc", "chutich", "thuky", "giamsat", "tuvan", "kinhdoanh",
  "sales", "marketing", "operations", "qa",
];
const TITLE_SET = new Set(TITLE_WORDS);
// Phrases in Vietnamese are several words; fold them without spaces and look for them inside the folded line.
const VN_TITLE_PHRASES = ["giamdoc", "truongphong", "nhanvien", "chuyenvien", "quanly", "kysu", "ketoan", "chutich", "truongnhom", "phophong"];

export function titleScore(line: string): number {
  const words = line.split(/[\s,|/–&-]+/).map(fold).filter(Boolean);
  if (words.length === 0 || words.length > 12) return 0;
  const hits = words.filter((w) => TITLE_SET.has(w)).length;
  const folded = fold(line);
  const vn = VN_TITLE_PHRASES.some((p) => folded.includes(p));
  if (hits === 0 && !vn) return 0;
  // Words only department-ish ("Sales", "Marketing") make a weaker title.
  const strong = words.some((w) => TITLE_SET.has(w) && !["sales", "marketing", "operations", "qa", "commercial", "commerciale"].includes(w));
  return strong || vn ? 0.9 : 0.45;
}

const DEPARTMENT_WORDS = [
  "department", "dept", "division", "team", "group", "unit", "office", "treasury", "finance", "sales", "marketing", "operations",
  "research", "engineering", "culture", "people", "hr", "legal", "procurement", "logistics", "infrastructure", "enterprise",
  "customer", "support", "product", "emea", "apac", "dach", "americas", "corporate", "clinical", "export", "import", "innovation",
  "vertrieb", "einkauf", "abteilung", "service", "pole", "direction", "phong", "khoi", "ban", "bophan", "nhansu", "hanhchinh",
];
const DEPT_SET = new Set(DEPARTMENT_WORDS);

export function departmentScore(line: string): number {
  const words = line.split(/[\s,|/–&-]+/).map(fold).filter(Boolean);
  if (words.length === 0 || words.length > 7) return 0;
  const hits = words.filter((w) => DEPT_SET.has(w)).length;
  return hits > 0 ? Math.min(1, 0.5 + hits * 0.25) : 0;
}

// Address recognisers.
const STREET_EN = /\b(street|st\.?|road|rd\.?|avenue|ave\.?|av\.|place|pl\.|way|court|ct\.?|lane|ln\.?|drive|boulevard|blvd\.?|parkway|pkwy|square|sq\.?|terrace|highway|hwy|crescent|close|parade|esplanade|quay|wharf|row|walk|gardens|park|suite|ste\.?|level|floor|fl\.?|unit|building|bldg|tower|centre|center|house|yard|gate|hill)\b/i;
const STREET_DE = /[\p{L}]*(straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|kai|markt|chaussee|steig)\s+\d+/iu;
const STREET_FR = /\b(rue|boulevard|bd|avenue|av|quai|place|allée|allee|chemin|impasse|cours|route|faubourg|passage|square)\b/i;
// \b is ASCII-only in JS, so Vietnamese words use letter look-arounds.
const STREET_VN = /(?<!\p{L})(đường|phường|quận|huyện|xã|tỉnh|thành phố|tp\.?|tầng|số|ward|district|city|province|tòa nhà|lô)(?!\p{L})/iu;
// OCR often drops Vietnamese tones and hooks ("Quận Hoàn Kiếm" comes out "Quan Hoan Kiém").
// Folded, these words are also common names (Dương, Phương, Quân), so without their
// diacritics they only count on a line that also has a house or ward number.
const STREET_VN_FOLDED = /(?<![a-z])(duong|phuong|quan|huyen|tinh|thanh pho|toa nha)(?![a-z])/;
const foldKeepingSpaces = (s: string) => s.normalize("NFD").replace(/\p{M}+/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
const POSTCODES = [
  /\b\d{5}\s+\p{Lu}\p{Ll}/u, // DE / FR: 60311 Frankfurt
  /\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b/, // UK
  /\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b/, // US
  /\b(NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b/, // AU
  /\bSingapore\s+\d{6}\b/i, // SG
  /#\d{1,3}-\d{1,4}\b/, // SG unit number
];
const COUNTRY_LINE = /^(vietnam|việt nam|viet nam|singapore|germany|deutschland|france|united kingdom|uk|england|australia|usa|united states|u\.s\.a\.)$/i;
const ADDRESS_LABEL = /^(a|add|addr|address|adresse|anschrift|địa chỉ|dia chi|đc|office address)\s*[:.]\s*/iu;

export function stripAddressLabel(line: string): string {
  return line.replace(ADDRESS_LABEL, "");
}

/** 0..1: how much the line looks like (part of) a postal address. */
export function addressScore(line: string): number {
  const l = stripAddressLabel(line);
  const hasDigit = /\d/.test(l);
  if (COUNTRY_LINE.test(l.trim())) return 0.6;
  if (POSTCODES.some((re) => re.test(l))) return 0.95;
  if (STREET_DE.test(l)) return 0.9;
  if (STREET_VN.test(l) && (hasDigit || /,/.test(l))) return 0.85;
  if (hasDigit && STREET_VN_FOLDED.test(foldKeepingSpaces(l))) return 0.8;
  if (hasDigit && (STREET_EN.test(l) || STREET_FR.test(l))) return 0.85;
  if (/(?<!\p{L})(ho chi minh|hồ chí minh|hà nội|ha noi|hanoi|đà nẵng|da nang|tp\. ?hcm|hải phòng|cần thơ)(?!\p{L})/iu.test(l)) return 0.7;
  if (STREET_VN.test(l)) return 0.5;
  return 0;
}

export function isAddressLabelled(line: string): boolean {
  return ADDRESS_LABEL.test(line);
}
