// Names OCR read without their accents: flagged below the review threshold with the usual
// spelling proposed, only on evidence; never on names as often written without accents.
import { describe, expect, it } from "vitest";
import * as accentCheck from "./accent-check";
import { ACCENT_CONFIDENCE_CAP, checkLostAccents, looksVietnamese } from "./accent-check";
import { emptyFields, type CardFields, type PhoneEntry } from "./types";

function card(fields: Partial<CardFields>, phones: string[] = [], text = "") {
  const f = { ...emptyFields(), ...fields };
  const confidence = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v === null ? null : 0.9])) as Record<keyof CardFields, number | null>;
  const phoneEntries: PhoneEntry[] = phones.map((e164) => ({ e164, type: "work", raw: e164 }));
  return { fields: f, confidence, phones: phoneEntries, text: text || Object.values(f).filter(Boolean).join("\n") };
}

describe("Vietnamese cards", () => {
  it.each([
    ["Ly Thi Minh Thao", "Lý Thị Minh Thảo"],
    ["Tran Bao Huong", "Trần Bảo Hương"],
    ["Duong Thi Minh Anh", "Dương Thị Minh Anh"],
    ["NGUYEN VAN AN", "NGUYỄN VĂN AN"],
  ])("%s on a +84 card → flagged, proposing %s", (name, usual) => {
    const r = checkLostAccents(card({ fullName: name }, ["+842438123456"]));
    expect(r.hints.fullName?.suggestion).toBe(usual);
    expect(r.confidence.fullName).toBe(ACCENT_CONFIDENCE_CAP);
  });

  it("a company too, on a card that is Vietnamese by its e-mail domain", () => {
    const r = checkLostAccents(card({ company: "Thai An Foods JSC", email: "sales@thaian.com.vn" }));
    expect(r.hints.company?.suggestion).toBe("Thái An Foods JSC");
    expect(r.hints.email).toBeUndefined();
  });

  it("word by word: a field that lost some accents and misread others (accents no Vietnamese word has)", () => {
    const r = checkLostAccents(card({ fullName: "Hoang Thi Thu Quyén", company: "Tan Viét Media JSC" }, ["+84912345678"]));
    expect(r.hints.fullName?.suggestion).toBe("Hoàng Thị Thu Quyên");
    expect(r.hints.fullName?.message).toMatch(/^"Quyén": no Vietnamese word is written with this accent/);
    expect(r.hints.company?.suggestion).toBe("Tân Việt Media JSC");
  });

  it.each([
    ["Phan Thị Minh Yén", "Phan Thị Minh Yến"],
    ["Tân Viêt Media JSC", "Tân Việt Media JSC"],
    ["Công ty TNHH Truyén thông Ngọc Lan", "Công ty TNHH Truyền thông Ngọc Lan"],
  ])("misread accents alone: %s → %s", (value, usual) => {
    const r = checkLostAccents(card({ company: value }, ["+84912345678"]));
    expect(r.hints.company?.suggestion).toBe(usual);
    expect(r.confidence.company).toBe(ACCENT_CONFIDENCE_CAP);
  });

  it.each(["Quyên", "Yến", "Việt", "Tiến", "Huyền", "Thuyết", "Phúc", "Đạt", "Mạnh", "Bích", "Hiếu", "Kiều", "Nguyễn", "Điệp", "Khoa", "Pé", "Hé"])(
    "%s is a Vietnamese spelling: not a misread", (word) => {
      const { misreadVietnameseSyllable } = accentCheck;
      expect(misreadVietnameseSyllable(word)).toBe(false);
    },
  );

  it.each(["Quyén", "Yén", "Viét", "Viêt", "Tièn", "Đăt", "Truyén", "Huyèn"])("%s has accents no Vietnamese word has", (word) => {
    expect(accentCheck.misreadVietnameseSyllable(word)).toBe(true);
  });

  it("a field whose words all carry their accents, or a card with no Vietnamese evidence, is left alone", () => {
    expect(checkLostAccents(card({ fullName: "Nguyễn Văn An", company: "Công ty Hồng Hà" }, ["+84912345678"])).hints).toEqual({});
    expect(checkLostAccents(card({ fullName: "Van Morrison", company: "Do Good Ltd" }, ["+14155550142"])).hints).toEqual({});
    expect(checkLostAccents(card({ fullName: "Sam Ho", company: "Ha Studio" }, [], "Sam Ho\nHa Studio\nLondon")).hints).toEqual({});
  });

  it("evidence: +84, .vn, Vietnamese letters elsewhere, or a Vietnamese place name", () => {
    const f = emptyFields();
    expect(looksVietnamese("", f, [{ e164: "+84912345678", type: "mobile", raw: "" }])).toBe(true);
    expect(looksVietnamese("", { ...f, website: "https://abc.vn" }, [])).toBe(true);
    expect(looksVietnamese("Trưởng phòng kinh doanh", f, [])).toBe(true);
    expect(looksVietnamese("12 Duy Tan, Cau Giay, Ha Noi", f, [])).toBe(true);
    expect(looksVietnamese("12 Main St, Springfield", f, [])).toBe(false);
  });
});

describe("names usually written with accents", () => {
  it.each([
    ["Martin Ramirez", "Martín Ramírez"],
    ["Monica Ramirez Castano", "Mónica Ramírez Castaño"],
    ["Gunther Brückner", "Günther Brückner"],
    ["Kathe Schäfer", "Käthe Schäfer"],
    ["Francois Dupont", "François Dupont"],
    ["Joao Goncalves", "João Gonçalves"],
    ["HANS MULLER", "HANS MÜLLER"],
  ])("%s → %s, anywhere in the world", (name, usual) => {
    const r = checkLostAccents(card({ fullName: name }, ["+14155550142"]));
    expect(r.hints.fullName?.suggestion).toBe(usual);
    expect(r.confidence.fullName).toBeLessThan(0.75);
  });

  it.each(["Martin Smith", "Monica Geller", "Maria Schmidt", "Simon Andre", "Ramona Flowers", "Ramirezz Tester"])("%s is not flagged", (name) => {
    const r = checkLostAccents(card({ fullName: name }, ["+14155550142"]));
    expect(r.hints).toEqual({});
    expect(r.confidence.fullName).toBe(0.9);
  });
});

describe("what it never does", () => {
  it("changes no field value, and keeps a lower confidence as it was", () => {
    const c = card({ fullName: "Tran Bao Huong" }, ["+84912345678"]);
    c.confidence.fullName = 0.4;
    const r = checkLostAccents(c);
    expect(r.confidence.fullName).toBe(0.4);
    expect(c.fields.fullName).toBe("Tran Bao Huong");
  });

  it("skips fields a QR code supplied (exact text)", () => {
    const r = checkLostAccents({ ...card({ fullName: "Martin Ramirez" }), skip: ["fullName"] });
    expect(r.hints).toEqual({});
    expect(r.confidence.fullName).toBe(0.9);
  });
});
