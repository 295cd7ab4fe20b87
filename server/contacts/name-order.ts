// Which word of a full name is the family name. Address books build their display name and their sort order from
// vCard `N` (family;given), so `N:Anh;Nguyễn Thị Minh` for "Nguyễn Thị Minh Anh" files her under A as "Mr/Ms Anh".
// Many names put the family name first: Vietnamese, Chinese (in Han characters and in romanised form, as on
// Singapore and Malaysia cards: "Wong Zhi Hao"), Japanese and Korean, Hungarian. We only have the full name, so
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
  return { family: words[words.length - 1], given: words.slice(0, -1).join(" ") };
}
