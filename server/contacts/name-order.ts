// Which word of a full name is the family name. Address books build their display name and their sort order from
// vCard `N` (family;given), so `N:Anh;Nguyễn Thị Minh` for "Nguyễn Thị Minh Anh" files her under A as "Mr/Ms Anh".
// Many names put the family name first: Vietnamese, Chinese (in Han characters and in romanised form, as on
// Singapore and Malaysia cards: "Wong Zhi Hao"), Japanese and Korean, Hungarian. Spanish and Portuguese names carry
// two family names or a particle ("María José Peña Muñoz", "Juan Carlos de la Fuente"). We only have the full name, so
// each rule needs positive evidence; anything else keeps the Western reading (family name last).
import { startsWithVietnameseFamilyName } from "../ocr/person-name";

export interface NameParts {
  family: string;
  given: string;
}

// Vietnamese family names without their tones, as typed on keyboards without them ("Nguyen Van An"). Only the
// ones that are not also common given or Western names: Le, Mai, Cao, Ha, To, Lam, Chau, Vu, Do stay out.
const VN_FAMILY_FOLDED = new Set(["nguyen", "tran", "pham", "hoang", "huynh", "phan", "dang", "bui", "ngo", "duong", "dinh", "doan", "truong", "trinh", "luong", "quach", "vuong"]);

// Common Chinese family names as romanised on cards (pinyin, Cantonese, Hokkien/Teochew). On their own they prove
// nothing ("Lee", "Tan", "Lim" are Western names too, and "Lee Chen" may be written either way); they count only
// with a two-part given name spelled as Chinese syllables: "Wong Zhi Hao", "Tan Wei Ming", "Wong Zhi-Hao".
const CN_FAMILY = new Set([
  "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo",
  "gao", "zheng", "liang", "xie", "song", "tang", "deng", "han", "feng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang",
  "wong", "chan", "cheung", "leung", "ng", "ho", "chow", "chu", "lau", "lam", "tse", "yip", "kwok", "fung", "tsang", "mak", "lai", "chong",
  "tan", "lim", "lee", "teo", "goh", "ong", "koh", "chua", "tay", "yeo", "sim", "toh", "low", "foo", "quek", "seah", "chia", "khoo", "heng",
]);
// A pinyin or Cantonese-style syllable: optional initial, then a final. Loose on purpose; it only has to tell
// "Zhi Hao" and "Wei Ming" from "Smith" and "Anna".
const SYLLABLE = "(?:zh|ch|sh|ts|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|eung|oeng|ang|eng|ing|ong|ung|uai|uan|ian|iao|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|oi|oo|ee|ew|ow|ock|ok|ik|ak|a|e|i|o|u|ü)";
const ONE_SYLLABLE = new RegExp(`^${SYLLABLE}$`, "i");
const HYPHENATED = new RegExp(`^${SYLLABLE}-${SYLLABLE}$`, "i");

function looksRomanisedChinese(words: string[]): boolean {
  if (!CN_FAMILY.has(words[0].toLowerCase())) return false;
  // "Lee Anna" or "Tan Ian" would pass a looser test: two separate syllables, or two joined by a hyphen, only.
  if (words.length === 3) return ONE_SYLLABLE.test(words[1]) && ONE_SYLLABLE.test(words[2]);
  return words.length === 2 && HYPHENATED.test(words[1]);
}

// Hungarian: family name first in Hungarian ("Nagy János"). Evidence: a common Hungarian family name first AND a
// Hungarian given name last. One without the other is no proof ("Simon" and "Anna" are names everywhere).
const HU_FAMILY = new Set(["nagy", "kovács", "tóth", "szabó", "horváth", "varga", "kiss", "molnár", "németh", "farkas", "balogh", "papp", "takács", "juhász", "lakatos", "mészáros", "oláh", "simon", "rácz", "fekete", "szilágyi", "török", "fehér", "balázs", "gál", "kis", "szűcs", "kocsis", "orsós", "pintér", "fodor", "szalai", "sipos", "magyar", "lukács", "gulyás", "biró", "király", "katona", "jakab", "bogdán", "balog", "sándor", "boros", "fazekas", "kelemen", "antal", "somogyi", "orosz", "vincze", "veres", "hegedűs", "budai", "deák", "pap", "bálint", "pál", "illés", "vass", "szőke", "fülöp", "vörös", "lengyel", "bodnár", "hajdu", "halász", "máté", "székely", "gáspár", "kozma", "pásztor", "bakos", "dudás", "major", "virág", "hegedüs"]);
const HU_GIVEN = new Set(["lászló", "istván", "józsef", "jános", "zoltán", "sándor", "gábor", "ferenc", "attila", "péter", "tamás", "zsolt", "tibor", "andrás", "csaba", "imre", "lajos", "györgy", "balázs", "gyula", "mihály", "károly", "róbert", "norbert", "béla", "dávid", "ádám", "dániel", "krisztián", "miklós", "bence", "levente", "máté", "gergely", "szabolcs", "mária", "erzsébet", "katalin", "ilona", "éva", "anna", "zsuzsanna", "margit", "judit", "ágnes", "andrea", "ildikó", "erika", "krisztina", "irén", "eszter", "szilvia", "mónika", "edit", "gabriella", "anikó", "tímea", "zsófia", "réka", "orsolya", "dóra", "boglárka", "nikolett", "viktória", "nóra", "piroska", "rozália", "magdolna", "enikő"]);

function looksHungarian(words: string[]): boolean {
  if (words.length < 2 || words.length > 3) return false;
  return HU_FAMILY.has(words[0].toLocaleLowerCase("hu")) && HU_GIVEN.has(words[words.length - 1].toLocaleLowerCase("hu")) && !HU_GIVEN.has(words[0].toLocaleLowerCase("hu"));
}

// Two-character Chinese compound family names and the Korean two-syllable ones; otherwise the first character is
// the family name of an unspaced Han or Hangul name (王小明, 김민준).
const COMPOUND_FAMILY = ["欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "公孙", "长孙", "宇文", "南宫", "남궁", "황보", "제갈", "선우", "독고", "사공", "서문"];
const HAN_HANGUL_KANA = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

// Spanish and Portuguese names: given name(s), then usually two family names ("María José Peña Muñoz" files under
// "Peña Muñoz"), often with particles ("Juan Carlos de la Fuente", "João Pedro da Silva Santos", "José Ortega y
// Gasset"). Evidence that a name is one (any two points): ñ/ã/õ (2), a known given name first, a known family name or
// a Spanish "-ez" patronymic among the last two words, and acute accents. The lists are short on purpose: they only
// have to tell "Ana María López García" from "Mary Jane Smith" and "Anna Maria Schmidt Weber".
const IB_GIVEN = new Set([
  "maria", "jose", "juan", "ana", "carlos", "luis", "jesus", "javier", "miguel", "antonio", "manuel", "francisco", "pedro", "pablo", "jorge",
  "alejandro", "fernando", "diego", "rafael", "sergio", "alberto", "andres", "raul", "angel", "ramon", "enrique", "ignacio", "gonzalo",
  "alvaro", "santiago", "sebastian", "joao", "paulo", "tiago", "goncalo", "andre", "carmen", "isabel", "lucia", "marta", "elena", "cristina",
  "pilar", "teresa", "sofia", "rocio", "beatriz", "ines", "mercedes", "dolores", "guadalupe", "fernanda", "valentina", "camila", "gabriela",
  "alejandra", "mariana", "ximena", "joana", "catarina", "luisa", "juliana", "leticia", "gabriel", "eduardo", "ricardo", "rodrigo",
]);
const IB_FAMILY = new Set([
  "garcia", "rodriguez", "martinez", "lopez", "gonzalez", "hernandez", "perez", "sanchez", "ramirez", "torres", "flores", "rivera", "gomez",
  "diaz", "cruz", "morales", "reyes", "gutierrez", "ortiz", "ruiz", "moreno", "jimenez", "munoz", "romero", "alonso", "navarro", "castro",
  "vargas", "ramos", "pena", "herrera", "medina", "aguilar", "vega", "castillo", "mendoza", "fuentes", "serrano", "molina", "delgado",
  "suarez", "ortega", "iglesias", "nunez", "silva", "santos", "oliveira", "souza", "sousa", "costa", "pereira", "ferreira", "almeida",
  "carvalho", "ribeiro", "gomes", "martins", "rocha", "barbosa", "cardoso", "teixeira", "fernandes", "rodrigues", "alves", "lopes", "mendes",
  "nunes", "marques", "moreira", "correia", "soares", "vieira", "monteiro", "cunha", "araujo", "goncalves", "azevedo",
]);
// Particles that start a family name, and the conjunctions that join two ("Ortega y Gasset", "Silva e Souza").
const IB_PARTICLE = new Set(["de", "del", "da", "das", "do", "dos"]);
const IB_ARTICLE = new Set(["la", "las", "los", "lo"]);
const IB_JOIN = new Set(["y", "e", "i"]);
// Given names that follow "de"/"del" in a compound given name: "María del Carmen", "María de los Ángeles".
const MARIAN = new Set(["carmen", "pilar", "mar", "rosario", "dolores", "lourdes", "fatima", "angeles", "jesus", "luz", "consuelo", "mercedes", "montserrat", "rocio", "sol", "socorro", "remedios", "guadalupe", "asuncion", "concepcion", "gracia", "fe"]);

const ibFold = (w: string) => fold(w).replace(/[^a-z]/g, "");
const ibFamilyLike = (w: string) => IB_FAMILY.has(ibFold(w)) || /^[a-z]{3,}ez$/.test(ibFold(w));

function iberianEvidence(words: string[], particles: boolean): number {
  const name = words.join(" ");
  let points = particles ? 2 : 0;
  if (/[ñÑãõÃÕ]/.test(name.normalize("NFC"))) points += 2;
  if (IB_GIVEN.has(ibFold(words[0]))) points += 1;
  points += words.slice(-2).filter(ibFamilyLike).length;
  if (/[áéíóúÁÉÍÓÚ]/.test(name.normalize("NFC"))) points += 1;
  return points;
}

/**
 * Spanish/Portuguese split, or null when the name does not look like one. `unclear` (no split: the whole name as the
 * given name, as for a single word) when it does but the words do not say where the family name starts.
 */
function splitIberian(words: string[]): NameParts | "unclear" | null {
  const n = words.length;
  if (n < 3) return null;
  const allCaps = words.join("").toUpperCase() === words.join("") && /\p{Lu}/u.test(words.join(""));
  // Particles as printed in lower case ("de la Fuente"); in a name printed in capitals, in capitals too.
  const word = (i: number) => (allCaps ? words[i].toLowerCase() : words[i]);
  const isParticle = (i: number) => IB_PARTICLE.has(word(i));
  const isJoin = (i: number) => IB_JOIN.has(word(i));
  const part = (from: number, to = n) => words.slice(from, to).join(" ");

  // The family name starts at the first particle after the given name(s), unless that particle opens a compound given
  // name ("María del Carmen López García").
  let familyFrom = -1;
  let givenEnd = 0;
  for (let i = 1; i < n - 1; i++) {
    if (isJoin(i) && i >= 2 && familyFrom < 0) {
      familyFrom = i - 1; // "José Ortega y Gasset": the word before the "y" is the first family name
      break;
    }
    if (!isParticle(i)) continue;
    let j = i + 1;
    while (j < n - 1 && (IB_ARTICLE.has(word(j)) || isParticle(j))) j++;
    if (MARIAN.has(ibFold(words[j])) && words.slice(0, i).every((w) => IB_GIVEN.has(ibFold(w)))) {
      givenEnd = j + 1;
      i = j;
      continue;
    }
    familyFrom = i;
    break;
  }
  const evidence = iberianEvidence(words, familyFrom > 0 || givenEnd > 0);
  if (evidence < 2) return null;
  if (familyFrom > 0) return { family: part(familyFrom), given: part(0, familyFrom) };
  if (givenEnd > 0) return givenEnd < n ? { family: part(givenEnd), given: part(0, givenEnd) } : "unclear";

  // No particle: count the known given names at the start.
  let k = 0;
  while (k < n - 1 && IB_GIVEN.has(ibFold(words[k]))) k++;
  if (n === 3) {
    if (k >= 2) return { family: part(2), given: part(0, 2) }; // María José Peña
    if (ibFamilyLike(words[1])) return { family: part(1), given: part(0, 1) }; // Gabriel García Márquez
    return "unclear";
  }
  if (n === 4) return k >= 3 ? { family: part(k), given: part(0, k) } : { family: part(2), given: part(0, 2) };
  return k >= 1 ? { family: part(k), given: part(0, k) } : "unclear";
}

/** Family and given name of a full name (honorifics are not expected: the OCR and the forms strip them). */
export function splitPersonName(fullName: string): NameParts {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return { family: "", given: "" };
  const familyFirst = (n = 1): NameParts => ({ family: words.slice(0, n).join(" "), given: words.slice(n).join(" ") });

  if (HAN_HANGUL_KANA.test(fullName)) {
    // Written in CJK script, the family name comes first: with a space (山田 太郎, 김 민준) it is the first word;
    // without one, the first character, or a known two-character family name.
    if (words.length > 1) return familyFirst();
    const name = words[0];
    const chars = [...name];
    if (chars.length < 2) return { family: "", given: name };
    const compound = COMPOUND_FAMILY.find((c) => name.startsWith(c) && chars.length > [...c].length);
    const familyLen = compound ? [...compound].length : 1;
    return { family: chars.slice(0, familyLen).join(""), given: chars.slice(familyLen).join("") };
  }
  if (words.length === 1) return { family: "", given: words[0] };
  // With its tones (Nguyễn, Lê, Đỗ) the first word is unmistakably a Vietnamese family name; without them only the
  // folded list counts ("Mai Schmidt", "Cao Lopez" stay Western).
  const vnWithTones = startsWithVietnameseFamilyName(words[0].normalize("NFC")) && /[^\x00-\x7f]/.test(words[0]);
  if (vnWithTones || VN_FAMILY_FOLDED.has(fold(words[0]))) return familyFirst();
  if (looksRomanisedChinese(words) || looksHungarian(words)) return familyFirst();
  const iberian = splitIberian(words);
  if (iberian === "unclear") return { family: "", given: words.join(" ") };
  if (iberian) return iberian;
  return { family: words[words.length - 1], given: words.slice(0, -1).join(" ") };
}
