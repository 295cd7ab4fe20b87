// Turn tesseract's block/paragraph/line/word tree into our flat word list and one text line per visual line.
import type { Page, Line as TLine } from "tesseract.js";
import type { OcrWord } from "./types";

interface Group {
  words: { text: string; confidence: number; bbox: OcrWord["bbox"] }[];
  x0: number; y0: number; x1: number; y1: number;
}

function overlapY(a: { y0: number; y1: number }, b: { y0: number; y1: number }): number {
  const o = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return o / Math.max(1, Math.min(a.y1 - a.y0, b.y1 - b.y0));
}

/**
 * Sparse-text mode (PSM 11) often cuts one printed line into pieces ("M:" | "0912 345 678").
 * Pieces on the same baseline and close together are joined, so a label stays with its value.
 * Tesseract's reading order (column by column) is kept for the joined lines.
 */
export function wordsFromPage(page: Page, transform?: (b: OcrWord["bbox"]) => OcrWord["bbox"]): { words: OcrWord[]; text: string; lineConfidences: number[] } {
  const tlines: TLine[] = [];
  for (const block of page.blocks ?? []) for (const para of block.paragraphs) for (const line of para.lines) tlines.push(line);

  const groups: Group[] = [];
  for (const line of tlines) {
    const words = line.words
      .filter((w) => w.text.trim().length > 0)
      .map((w) => ({ text: w.text.trim(), confidence: Math.max(0, Math.min(1, w.confidence / 100)), bbox: transform ? transform(w.bbox) : { ...w.bbox } }));
    if (!words.length) continue;
    const box = {
      x0: Math.min(...words.map((w) => w.bbox.x0)), y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)), y1: Math.max(...words.map((w) => w.bbox.y1)),
    };
    const h = box.y1 - box.y0;
    const target = groups.find((g) => {
      const gh = g.y1 - g.y0;
      if (overlapY(g, box) < 0.5 || Math.max(h, gh) > 1.8 * Math.min(h, gh)) return false;
      const gap = box.x0 >= g.x1 ? box.x0 - g.x1 : g.x0 >= box.x1 ? g.x0 - box.x1 : 0;
      return gap < 1.3 * Math.max(h, gh);
    });
    if (target) {
      target.words.push(...words);
      target.words.sort((a, b) => a.bbox.x0 - b.bbox.x0);
      target.x0 = Math.min(target.x0, box.x0); target.y0 = Math.min(target.y0, box.y0);
      target.x1 = Math.max(target.x1, box.x1); target.y1 = Math.max(target.y1, box.y1);
    } else {
      groups.push({ words, ...box });
    }
  }

  const words: OcrWord[] = [];
  const lines: string[] = [];
  const lineConfidences: number[] = [];
  groups.forEach((g, n) => {
    for (const w of g.words) words.push({ ...w, line: n });
    lines.push(g.words.map((w) => w.text).join(" "));
    lineConfidences.push(g.words.reduce((a, w) => a + w.confidence, 0) / g.words.length);
  });
  return { words, text: lines.join("\n"), lineConfidences };
}
