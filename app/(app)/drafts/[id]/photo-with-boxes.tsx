"use client";
// The card photo with the OCR's word boxes drawn over it. Words the OCR was unsure of
// are tinted; the words of the focused field light up.
interface Word { text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }

export const LOW_WORD_CONFIDENCE = 0.6;

export function PhotoWithBoxes({ url, originalUrl, width, height, words, highlight }: { url: string; originalUrl: string; width: number; height: number; words: Word[]; highlight: Set<number> }) {
  return (
    <figure className="space-y-2">
      <div className="relative overflow-hidden rounded-lg border border-slate-200 bg-slate-900">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={url} alt="The scanned card" className="block h-auto w-full" data-testid="draft-photo" />
        {width > 0 && height > 0 && (
          <svg viewBox={`0 0 ${width} ${height}`} className="pointer-events-none absolute inset-0 h-full w-full" preserveAspectRatio="none" aria-hidden>
            {words.map((w, i) => {
              const lit = highlight.has(i);
              const low = w.confidence < LOW_WORD_CONFIDENCE;
              return (
                <rect
                  key={i}
                  x={w.bbox.x0}
                  y={w.bbox.y0}
                  width={Math.max(1, w.bbox.x1 - w.bbox.x0)}
                  height={Math.max(1, w.bbox.y1 - w.bbox.y0)}
                  className={lit ? "fill-indigo-400/40 stroke-indigo-500" : low ? "fill-amber-300/30 stroke-amber-500" : "fill-transparent stroke-emerald-400/60"}
                  strokeWidth={Math.max(1, width / 500)}
                  data-testid={lit ? "box-lit" : undefined}
                />
              );
            })}
          </svg>
        )}
      </div>
      <figcaption className="flex flex-wrap items-center gap-3 text-xs text-slate-500">
        <span><span className="mr-1 inline-block h-2 w-3 border border-amber-500 bg-amber-200" />unsure words</span>
        <a href={originalUrl} target="_blank" rel="noreferrer" className="inline-block py-1.5 text-indigo-700 hover:underline">Open the original photo</a>
      </figcaption>
    </figure>
  );
}

/**
 * The part of the photo a field was read from, cut out and shown under the field on a phone.
 * There the photo sits above the form, so by the time a field lower down is focused (and the
 * keyboard is up) the lit word boxes are off screen; scrolling up to them would hide the very
 * field being corrected. The crop is the union of the field's word boxes plus a margin, drawn
 * with the same image (already in the browser's cache), at most 72 px high.
 */
export function WordCrop({ url, width, height, words, indices }: { url: string; width: number; height: number; words: Word[]; indices: number[] }) {
  const boxes = indices.map((i) => words[i]?.bbox).filter((b): b is Word["bbox"] => !!b);
  if (!boxes.length || width <= 0 || height <= 0) return null;
  const pad = Math.max(8, height * 0.02);
  const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x0)) - pad);
  const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y0)) - pad);
  const x1 = Math.min(width, Math.max(...boxes.map((b) => b.x1)) + pad);
  const y1 = Math.min(height, Math.max(...boxes.map((b) => b.y1)) + pad);
  const cw = Math.max(1, x1 - x0);
  const ch = Math.max(1, y1 - y0);
  const MAX_HEIGHT = 72;
  return (
    <div
      className="relative mt-1 max-w-full overflow-hidden rounded border border-indigo-300 bg-slate-900"
      // Width follows the crop's shape, capped so the height stays at most 72 px.
      style={{ aspectRatio: `${cw} / ${ch}`, width: `min(100%, ${Math.round((MAX_HEIGHT * cw) / ch)}px)` }}
      data-testid="field-crop"
    >
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        src={url}
        alt="Where this field was read on the card"
        className="absolute max-w-none"
        style={{ width: `${(width / cw) * 100}%`, height: `${(height / ch) * 100}%`, left: `${(-x0 / cw) * 100}%`, top: `${(-y0 / ch) * 100}%` }}
      />
    </div>
  );
}
