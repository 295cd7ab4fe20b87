// Recognisers for the kinds of text lines a card has besides contact data: company, job title, department, address.
import { fold, hasCjk } from "./text-utils";

// Legal forms. Matched as whole tokens; most at the end of the line, VN forms at the start.
const LEGAL_SUFFIX =
  /(?:^|[\s,])(GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|OHG|UG|e\.\s?K\.|SE|Ltd\.?|Limited|LLP|LLC|L\.L\.C\.|Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?,?\s*Ltd\.?|PLC|Pte\.?\s*Ltd\.?|Pty\.?\s*Ltd\.?|Sdn\.?\s*Bhd\.?|S\.?A\.?S\.?|SARL|S\.à\s?r\.l\.|SA|S\.A\.|SRL|S\.r\.l\.|S\.p\.A\.|SpA|S\.L\.U?\.?|SLU|S\.A\.\s?de\s?C\.V\.|Ltda\.?|Lda\.?|BV|B\.V\.|NV|N\.V\.|JSC|J\.S\.C\.?|K\.K\.|Oy|AB|AS|ApS|A\/S)\s*\.?$/u;
const VN_COMPANY = /^(công\s*ty|cty|tập\s*đoàn|tổng\s*công\s*ty|doanh\s*nghiệp|ngân\s*hàng)(?!\p{L})/iu;
const VN_LEGAL = /(?<!\p{L})(TNHH|CP|Cổ\s*phần|MTV)(?!\p{L})/iu;

// The same forms printed in capitals ("PELLORA FREIGHT PTE LTD"); only those that cannot be an ordinary word.
const LEGAL_SUFFIX_CAPS = /(?:^|[\s,])(GMBH|LTD\.?|LIMITED|INC\.?|CORP\.?|CORPORATION|CO\.?,?\s*LTD\.?|PTE\.?\s*LTD\.?|PTY\.?\s*LTD\.?|SDN\.?\s*BHD\.?|SARL)\s*\.?$/u;

export function legalFormScore(line: string): number {
  if (hasCjk(line)) {
    const cjk = cjkCompanyScore(line);
    if (cjk > 0) return cjk;
  }
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
  // ES / PT / IT, and the forms of FR / DE the lists above lack (folded: "Diretora" → diretora, "Diseñador" → disenador).
  "directora", "diretor", "diretora", "direttore", "direttrice", "direktor", "direktorin", "gerente", "jefe", "jefa", "coordinador",
  "coordinadora", "coordenador", "coordenadora", "coordinatore", "coordinatrice", "coordinateur", "ejecutivo", "ejecutiva",
  "asesor", "asesora", "assessor", "assessora", "consultor", "consultora", "consulente", "consultante", "ingeniero", "ingeniera",
  "engenheiro", "engenheira", "ingegnere", "abogado", "abogada", "advogado", "advogada", "avvocato", "avvocata", "presidente",
  "presidenta", "vicepresidente", "vicepresidenta", "fundador", "fundadora", "fondatore", "gestor", "gestora",
  "responsabile", "amministratore", "amministratrice", "administrador", "administradora", "analista", "desarrollador",
  "desarrolladora", "disenador", "disenadora", "contador", "contadora", "contable", "representante", "delegado", "delegada",
  "delegato", "delegata", "titolare", "tecnico", "tecnica", "associee", "deleguee", "delegue", "developpeur", "developpeuse",
  "assistante", "verkaufsleiter", "verkaufsleiterin", "bereichsleiter", "bereichsleiterin", "gesellschafter",
  "gesellschafterin", "kundenberater", "kundenberaterin", "geschaeftsfuehrerin",
  "luatsu", "truongban",
  "sales", "marketing", "operations", "qa", "ventas", "vendas", "vendite", "ventes", "vertrieb",
];
const TITLE_SET = new Set(TITLE_WORDS);
// Phrases in Vietnamese are several words; folded without spaces, they are looked for as whole words or runs of
// whole words ("Kỹ sư" → ky + su, or OCR's glued "KỹSư"), never inside a word: "Vera Zlkysuc" is a name, not a title
// (a test's random surname was once read as "kysu", an engineer).
const VN_TITLE_PHRASES = ["giamdoc", "truongphong", "nhanvien", "chuyenvien", "quanly", "kysu", "ketoan", "chutich", "truongnhom", "phophong", "truongban"];
// Department-ish words: alone they make a weaker title ("Sales", "Ventas"); with a role word ("Directora Comercial") a strong one.
const WEAK_TITLE_WORDS = new Set(["sales", "marketing", "operations", "qa", "commercial", "commerciale", "ventas", "vendas", "vendite", "ventes", "vertrieb"]);
// German compounds name the role at the end: "Marketingleiterin", "Niederlassungsleiter".
const DE_LEITER = /^[a-z]{3,}leiter(in)?$/;

const VN_PHRASE_SET = new Set(VN_TITLE_PHRASES);
const VN_PHRASE_MAX = Math.max(...VN_TITLE_PHRASES.map((p) => p.length));

/** Whether some run of consecutive folded words, joined, is one of VN_TITLE_PHRASES. */
function hasVietnameseTitlePhrase(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    let run = "";
    for (let j = i; j < words.length && run.length < VN_PHRASE_MAX; j++) {
      run += words[j];
      if (VN_PHRASE_SET.has(run)) return true;
    }
  }
  return false;
}

export function titleScore(line: string): number {
  if (hasCjk(line)) {
    const cjk = cjkTitleScore(line);
    if (cjk > 0) return cjk;
  }
  const words = line.split(/[\s,|/–&-]+/).map(fold).filter(Boolean);
  if (words.length === 0 || words.length > 12) return 0;
  const isTitleWord = (w: string) => TITLE_SET.has(w) || DE_LEITER.test(w);
  const hits = words.filter(isTitleWord).length;
  const vn = hasVietnameseTitlePhrase(words);
  if (hits === 0 && !vn) return 0;
  const strong = words.some((w) => isTitleWord(w) && !WEAK_TITLE_WORDS.has(w));
  return strong || vn ? 0.9 : 0.45;
}

const DEPARTMENT_WORDS = [
  "department", "dept", "division", "team", "group", "unit", "office", "treasury", "finance", "sales", "marketing", "operations",
  "research", "engineering", "culture", "people", "hr", "legal", "procurement", "logistics", "infrastructure", "enterprise",
  "customer", "support", "product", "emea", "apac", "dach", "americas", "corporate", "clinical", "export", "import", "innovation",
  "vertrieb", "einkauf", "abteilung", "service", "pole", "direction", "phong", "khoi", "ban", "bophan", "nhansu", "hanhchinh",
  "departamento", "dipartimento", "ventas", "vendas", "vendite", "ventes", "compras", "achats", "acquisti", "logistica", "logistique",
  "finanzas", "financas", "finanze", "recursos", "humanos", "ressources", "humaines", "aussendienst", "innendienst",
];
const DEPT_SET = new Set(DEPARTMENT_WORDS);

export function departmentScore(line: string): number {
  if (hasCjk(line) && cjkDepartment(line)) return 0.75;
  const words = line.split(/[\s,|/–&-]+/).map(fold).filter(Boolean);
  if (words.length === 0 || words.length > 7) return 0;
  const hits = words.filter((w) => DEPT_SET.has(w)).length;
  return hits > 0 ? Math.min(1, 0.5 + hits * 0.25) : 0;
}

// Chinese, Japanese and Korean lines. fold() keeps ASCII only, so these need their own recognisers. The text has no
// spaces between words (Korean has some), so words are found as substrings; each entry is specific enough for that.

// Legal forms. JA: 株式会社 (also (株), ㈱), 有限会社, 合同会社, 合資会社, 合名会社; ZH: 有限公司, 股份有限公司, 公司,
// 集团/集團; KO: 주식회사 (also (주), ㈜), 유한회사, 유한책임회사, 합자회사, 합명회사.
const CJK_LEGAL = /株式会社|有限会社|合同会社|合資会社|合名会社|[(（]\s*[株有]\s*[)）]|[㈱㈲㈜]|公司|集团|集團|주식회사|유한회사|유한책임회사|합자회사|합명회사|[(（]\s*주\s*[)）]/u;
// Words that end an organisation's name without a legal form: 商事 (trading house), 工業, 銀行, 科技, 그룹 …
const CJK_ORG_END = /(商事|商社|工業|工业|産業|产业|銀行|银行|証券|证券|保険|保险|科技|電機|电机|電子|电子|實業|实业|貿易|贸易|控股|製作所|研究所|事務所|事务所|大学|大學|그룹|은행|전자|증권|보험|물산|상사|대학교)$/u;
// Job titles. JA, ZH (simplified and traditional), KO.
const CJK_TITLE = [
  "代表取締役", "取締役", "執行役員", "副社長", "社長", "会長", "専務", "常務", "本部長", "部長", "次長", "課長", "係長", "主任", "主査",
  "室長", "所長", "支店長", "店長", "工場長", "顧問", "監査役", "マネージャー", "マネジャー", "ディレクター", "エンジニア", "リーダー",
  "デザイナー", "コンサルタント", "プロデューサー", "スペシャリスト", "アナリスト", "担当", "弁護士", "税理士", "会計士", "教授", "研究員",
  "董事长", "董事長", "董事", "总裁", "總裁", "总经理", "總經理", "经理", "經理", "总监", "總監", "主管", "首席", "执行官", "執行官",
  "工程师", "工程師", "设计师", "設計師", "顾问", "专员", "專員", "助理", "主席", "合伙人", "合夥人", "创始人", "創始人", "创办人",
  "創辦人", "部长", "处长", "處長", "科长", "科長", "组长", "組長", "律师", "律師", "会计师", "會計師",
];
// Korean titles end a word ("영업팀장"); matched at a word's end so a name such as 이사랑 is not 이사 (director).
const KO_TITLE = [
  "대표이사", "대표", "회장", "부사장", "사장", "전무", "상무", "이사", "본부장", "부장", "차장", "과장", "대리", "주임", "사원", "팀장", "실장",
  "센터장", "지점장", "매니저", "엔지니어", "디자이너", "컨설턴트", "연구원", "수석", "선임", "책임", "고문", "교수", "변호사", "회계사",
];
// Departments: a known field (営業, 销售, 영업 …); a word ending in a unit that names never end in (事業部, センター, 팀);
// or a line that is one word ending in 部/課/室/处 (法务部, 第二課). Not any word ending in 部: 長谷部 誠 is a name.
const CJK_DEPT_WORDS = /営業|销售|銷售|市场|市場|総務|总务|總務|人事|経理|財務|财务|技術|技术|開発|开发|企画|広報|广报|廣報|营销|營銷|业务|業務|영업|마케팅|인사|재무|개발|기획|총무/u;
const CJK_DEPT_SUFFIX = /(部門|部门|本部|事業部|事业部|センター|グループ|チーム|팀|본부|센터|사업부|부서)$/u;
const CJK_UNIT_END = /^[\p{Script=Han}\p{Script=Katakana}]{2,}[部課室局处處科]$/u;

const cjkWords = (line: string) => line.split(/[\s,|/・、，･]+/).filter(Boolean);

function cjkTitleScore(line: string): number {
  if (CJK_TITLE.some((t) => line.includes(t)) || cjkWords(line).some((w) => KO_TITLE.some((t) => w.endsWith(t)))) return 0.9;
  return cjkDepartment(line) ? 0.45 : 0;
}

function cjkDepartment(line: string): boolean {
  const words = cjkWords(line);
  return CJK_DEPT_WORDS.test(line) || words.some((w) => [...w].length >= 3 && CJK_DEPT_SUFFIX.test(w)) || (words.length === 1 && CJK_UNIT_END.test(words[0]));
}

function cjkCompanyScore(line: string): number {
  // "集团副总裁" (Group vice-president) is a title: a line that ends in a title word without a space is not a company.
  if (!/\s/.test(line.trim()) && cjkTitleScore(line) === 0.9 && !CJK_LEGAL.test(line.slice(-4))) return 0;
  if (CJK_LEGAL.test(line)) return 0.95;
  if (CJK_ORG_END.test(line.trim()) && cjkTitleScore(line) < 0.9) return 0.8;
  return 0;
}

/** A CJK line holding a company and a title ("株式会社サンプル商事 営業部 部長"): split at the space before the title part. */
export function splitCjkCompanyTitle(line: string): { company: string; title: string } | null {
  if (!hasCjk(line)) return null;
  const parts = line.split(/\s+/);
  for (let i = 1; i < parts.length; i++) {
    const left = parts.slice(0, i).join(" ");
    const right = parts.slice(i).join(" ");
    if (cjkCompanyScore(left) >= 0.8 && cjkCompanyScore(right) === 0 && cjkTitleScore(right) > 0) return { company: left, title: right };
    if (cjkCompanyScore(right) >= 0.8 && cjkCompanyScore(left) === 0 && cjkTitleScore(left) > 0) return { company: right, title: left };
  }
  return null;
}

/** "박지성 대표", "山田 太郎 部長": a CJK name followed by its title on one line, split at the space before the title. */
export function splitCjkNameTitle(line: string): { name: string; title: string } | null {
  if (!hasCjk(line)) return null;
  const parts = line.trim().split(/\s+/);
  for (let i = 1; i <= Math.min(2, parts.length - 1); i++) {
    const name = parts.slice(0, i).join(" ");
    const title = parts.slice(i).join(" ");
    if (cjkNameShapeScore(name) >= 0.6 && titleScore(parts[i]) > 0 && legalFormScore(title) === 0) return { name, title };
  }
  return null;
}

/** 0..1: how much a Chinese, Japanese or Korean line looks like a person's name: 2–4 characters, or two parts ("山田 太郎"). */
export function cjkNameShapeScore(line: string): number {
  const s = line.trim();
  if (!/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー・ ]+$/u.test(s) || !hasCjk(s)) return 0;
  if (legalFormScore(s) > 0 || titleScore(s) > 0 || departmentScore(s) > 0) return 0;
  const parts = s.split(/[ ・]/).filter(Boolean);
  const len = [...parts.join("")].length;
  if (parts.length > 2 || len < 2) return 0;
  if (parts.length === 1 && len > 4) return 0;
  if (parts.length === 2 && (len > 7 || parts.some((p) => [...p].length > 4))) return 0;
  // A katakana word alone is more often a brand ("サンプル") than a name; names in katakana are foreign and have a separator.
  const katakanaOnly = /^[\p{Script=Katakana}ー・ ]+$/u.test(s);
  if (katakanaOnly) return parts.length === 2 ? 0.6 : 0.3;
  return 0.7;
}

// Address recognisers.
const STREET_EN = /\b(street|st\.?|road|rd\.?|avenue|ave\.?|av\.|place|pl\.|way|court|ct\.?|lane|ln\.?|drive|boulevard|blvd\.?|parkway|pkwy|square|sq\.?|terrace|highway|hwy|crescent|close|parade|esplanade|quay|wharf|row|walk|gardens|park|suite|ste\.?|level|floor|fl\.?|unit|building|bldg|tower|centre|center|house|yard|gate|hill)\b/i;
const STREET_DE = /(straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|kai|markt|chaussee|steig)\s+\d+/iu;
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
const ADDRESS_LABEL = /^(a|add|addr|address|adresse|anschrift|địa chỉ|dia chi|đc|office address|住所|地址|주소)\s*[:.：]\s*/iu;

export function stripAddressLabel(line: string): string {
  return line.replace(ADDRESS_LABEL, "");
}

// Japanese (〒 postcode, 都道府県, 市区町村, 丁目, 番地), Chinese (省, 市, 区, 路, 号, 楼) and Korean (시, 구, 동, 로, 길, 번지, 층)
// address words; with a number only, since the characters are common in other words.
const CJK_ADDRESS = /[都道府県市区町村郡省县縣路街号號楼樓层層]|丁目|番地|[시구군동읍면리로길층]|번지/u;

/** 0..1: how much the line looks like (part of) a postal address. */
export function addressScore(line: string): number {
  const l = stripAddressLabel(line);
  const hasDigit = /\d/.test(l);
  if (hasCjk(l)) {
    // A Japanese postcode ("〒100-0005 東京都…"; the sanitizer has already turned the 〒 mark into a space).
    if (/(?:^|\s)\d{3}-\d{4}\s*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(l)) return 0.95;
    if (hasDigit && CJK_ADDRESS.test(l) && legalFormScore(l) === 0 && titleScore(l) < 0.9) return 0.85;
  }
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
