// Accents that OCR may have dropped. Tesseract often reads "Lý Thị Minh Thảo" as
// "Ly Thi Minh Thao" or "Ramírez" as "Ramirez" with high confidence, so the draft would not
// flag the name and a rep would confirm it misspelt (bench/ocr-langs.md). This looks for words
// whose usual spelling carries accents but that were read without any (or, in Vietnamese, with
// accents no Vietnamese word has: "Quyén"), lowers the field's
// confidence below the review threshold, and proposes the usual spelling. It never changes a
// field by itself: "Ramirez" is also how many people in the US write their name; only the photo
// tells, and the rep decides.
//
// Two word lists, both of forms that are rarely written without accents by their own speakers:
// * Vietnamese syllables common in names and company names, applied only when the card is
//   Vietnamese by other evidence (a +84 number, a .vn address, Vietnamese letters elsewhere
//   on the card, or a Vietnamese place name), since "Do", "Ha" or "Van" are English or Dutch too;
// * Spanish, Portuguese, German, French and Central European names, applied to the person's
//   name anywhere. Forms that are just as common without accents (Martin, Maria, Simon, Andre)
//   are left out on purpose.
import type { CardFields, FieldConfidence, FieldKey, PhoneEntry } from "./types";

export interface FieldHint {
  /** Why the field is flagged, in words for the rep. */
  message: string;
  /** The field with the usual spelling of the words that lost their accents. */
  suggestion: string;
}
export type FieldHints = Partial<Record<FieldKey, FieldHint>>;

/** Below the review page's "check this" threshold (0.75). */
export const ACCENT_CONFIDENCE_CAP = 0.6;

const VIETNAMESE: Record<string, string> = {
  nguyen: "Nguyễn", tran: "Trần", le: "Lê", pham: "Phạm", hoang: "Hoàng", huynh: "Huỳnh", vu: "Vũ", vo: "Võ",
  dang: "Đặng", bui: "Bùi", do: "Đỗ", ho: "Hồ", ngo: "Ngô", duong: "Dương", ly: "Lý", dinh: "Đinh", trinh: "Trịnh",
  doan: "Đoàn", truong: "Trương", luong: "Lương", thi: "Thị", van: "Văn", duc: "Đức", huong: "Hương", thao: "Thảo",
  ngoc: "Ngọc", tuan: "Tuấn", hung: "Hùng", hai: "Hải", hieu: "Hiếu", phuong: "Phương", bao: "Bảo", hong: "Hồng",
  huyen: "Huyền", quynh: "Quỳnh", tien: "Tiến", son: "Sơn", tung: "Tùng", viet: "Việt", khanh: "Khánh", cuong: "Cường",
  thang: "Thắng", binh: "Bình", nhat: "Nhật", tam: "Tâm", yen: "Yến", hanh: "Hạnh", ha: "Hà", thai: "Thái", dat: "Đạt",
  loc: "Lộc", phuc: "Phúc", tan: "Tân", quyen: "Quyên", quoc: "Quốc", trieu: "Triệu", thuy: "Thủy", diep: "Diệp", nghia: "Nghĩa", dung: "Dũng",
  // Company words ("Công ty Truyền thông …": media company).
  truyen: "Truyền",
};

const NAMES: Record<string, string> = {
  // Spanish
  ramirez: "Ramírez", rodriguez: "Rodríguez", fernandez: "Fernández", gonzalez: "González", martinez: "Martínez",
  sanchez: "Sánchez", perez: "Pérez", gomez: "Gómez", jimenez: "Jiménez", hernandez: "Hernández", alvarez: "Álvarez",
  dominguez: "Domínguez", gutierrez: "Gutiérrez", mendez: "Méndez", nunez: "Núñez", benitez: "Benítez", suarez: "Suárez",
  ibanez: "Ibáñez", munoz: "Muñoz", pena: "Peña", castano: "Castaño", garcia: "García", lopez: "López", diaz: "Díaz",
  velazquez: "Velázquez", vazquez: "Vázquez", marquez: "Márquez", cortes: "Cortés", duran: "Durán", beltran: "Beltrán",
  jose: "José", jesus: "Jesús", andres: "Andrés", ramon: "Ramón", joaquin: "Joaquín", raul: "Raúl", inigo: "Íñigo",
  alvaro: "Álvaro", begona: "Begoña", ines: "Inés", monica: "Mónica", veronica: "Verónica", martin: "Martín",
  // Portuguese
  joao: "João", goncalves: "Gonçalves", conceicao: "Conceição", sebastiao: "Sebastião", simoes: "Simões",
  magalhaes: "Magalhães", guimaraes: "Guimarães", estevao: "Estêvão",
  // German
  muller: "Müller", schafer: "Schäfer", jager: "Jäger", kohler: "Köhler", kruger: "Krüger", bohm: "Böhm",
  gunther: "Günther", jurgen: "Jürgen", kathe: "Käthe", barbel: "Bärbel", jorg: "Jörg", bjorn: "Björn", soren: "Sören",
  hubner: "Hübner", kroger: "Kröger", moller: "Möller", schroder: "Schröder", frohlich: "Fröhlich", loffler: "Löffler",
  // French
  francois: "François", frederic: "Frédéric", helene: "Hélène", jerome: "Jérôme", elodie: "Élodie", celine: "Céline",
  gerard: "Gérard", stephane: "Stéphane", amelie: "Amélie", loic: "Loïc", anais: "Anaïs", clemence: "Clémence",
  benoit: "Benoît", therese: "Thérèse",
  // Central European
  lukasz: "Łukasz", pawel: "Paweł", malgorzata: "Małgorzata", dvorak: "Dvořák", jiri: "Jiří",
};

// Given names flagged only beside another listed name ("Martín Ramírez"): "Martin" or "Monica"
// alone are as often English or German.
const NEEDS_COMPANY = new Set(["martin", "monica", "veronica", "ines", "ramon"]);

const VIETNAMESE_LETTERS = /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;
const VIETNAMESE_PLACES = /\b(?:viet\s?nam|ha\s?noi|ho\s?chi\s?minh|tp\.?\s?hcm|da\s?nang|hai\s?phong|can\s?tho|quan\s+\d|phuong\s+\d)\b/i;

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
/** Any letter beyond ASCII: the card's accents (or another script) were read in this field. */
const hasMarks = (s: string) => /[^\u0000-\u007f]/.test(s);

/** Whether the card reads as Vietnamese from evidence other than the field itself. */
export function looksVietnamese(text: string, fields: CardFields, phones: PhoneEntry[]): boolean {
  if (phones.some((p) => p.e164.startsWith("+84"))) return true;
  if ([fields.email, fields.website].some((v) => v && /\.vn\b/i.test(v))) return true;
  return VIETNAMESE_LETTERS.test(text) || VIETNAMESE_PLACES.test(fold(text));
}

/**
 * A Vietnamese syllable whose accents no Vietnamese word has, so OCR misread them: "Quyén", "Yén",
 * "Viét" (the diphthong iê/yê always carries its circumflex before a final consonant; tesseract
 * reads the circumflex with a tone as an acute), and "Viêt" (a syllable ending in p, t, c or ch
 * takes the sắc or nặng tone, so a dot below was lost). Only words that have accents: one read
 * without any is the other case.
 */
export function misreadVietnameseSyllable(word: string): boolean {
  const lower = word.normalize("NFC").toLowerCase();
  if (!hasMarks(lower)) return false;
  if (/[iy][eéèẻẽẹ](?:n|ng|t|c|m|p|u)$/u.test(lower)) return true;
  const marks = lower.normalize("NFD");
  return /(?:p|t|c|ch)$/.test(lower) && !marks.includes("\u0301") && !marks.includes("\u0323");
}

/** The word's key in a list: a word written without accents, lower case; "" for any other word. */
const plainKey = (t: string) => (/^[A-Za-z]+$/.test(t) ? t.toLowerCase() : "");

/** Replaces each word whose key (keyOf) is found in `words` by its usual spelling. */
function respell(value: string, words: Record<string, string>, allow: (key: string, all: string[]) => boolean, keyOf: (token: string) => string = plainKey): string | null {
  const tokens = value.split(/(\s+|[-,.()/])/);
  const keys = tokens.map(keyOf);
  let changed = false;
  const out = tokens.map((t, i) => {
    const key = keys[i];
    const usual = key ? words[key] : undefined;
    if (!usual || !allow(key, keys)) return t;
    changed = true;
    // Keep the card's casing style: "NGUYEN" → "NGUYỄN", "Nguyen" → "Nguyễn".
    return t === t.toUpperCase() && t.length > 1 ? usual.toUpperCase() : usual;
  });
  return changed ? out.join("") : null;
}

export function checkLostAccents(input: { fields: CardFields; confidence: FieldConfidence; phones: PhoneEntry[]; text: string; skip?: readonly FieldKey[] }): { confidence: FieldConfidence; hints: FieldHints } {
  const confidence = { ...input.confidence };
  const hints: FieldHints = {};
  const flag = (key: FieldKey, suggestion: string, message: string) => {
    if (input.skip?.includes(key)) return;
    hints[key] = { message, suggestion };
    const c = confidence[key];
    if (c !== null) confidence[key] = Math.min(c, ACCENT_CONFIDENCE_CAP);
  };

  const vietnamese = looksVietnamese(input.text, input.fields, input.phones);
  for (const key of ["fullName", "company"] as const) {
    const value = input.fields[key];
    if (!value || !vietnamese) continue;
    // Word by word: "Hoang Thi Thu Quyén" kept one accent (misread) and lost three.
    const misread = value.split(/[\s\-,.()/]+/).filter((w) => misreadVietnameseSyllable(w) && VIETNAMESE[fold(w)]);
    const suggestion = respell(value, VIETNAMESE, () => true, (t) => plainKey(t) || (misreadVietnameseSyllable(t) ? fold(t) : ""));
    if (suggestion) flag(key, suggestion, misread.length
      ? `${misread.map((w) => `"${w}"`).join(", ")}: no Vietnamese word is written with ${misread.length > 1 ? "these accents" : "this accent"}, so OCR probably misread ${misread.length > 1 ? "them" : "it"}. Check against the photo.`
      : hasMarks(value)
        ? "Some of these Vietnamese words are usually written with accents that were not read. Check against the photo."
        : "Vietnamese names are usually written with accents, and none were read here. Check against the photo.");
  }

  const name = input.fields.fullName;
  if (name && !hints.fullName) {
    const surnames = (all: string[]) => all.some((k) => k && NAMES[k] && !NEEDS_COMPANY.has(k));
    const suggestion = respell(name, NAMES, (key, all) => !NEEDS_COMPANY.has(key) || surnames(all));
    if (suggestion && suggestion !== name) flag("fullName", suggestion, "This name is usually written with accents, which OCR often misses. Check against the photo.");
  }
  return { confidence, hints };
}

