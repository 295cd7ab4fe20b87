// Reading a rep's drafts. Another user's draft, or an expired one, is NOT_FOUND.
import type { Db, DraftContact } from "../db";
import type { Actor } from "../trpc/context";
import { notFound } from "../errors";
import { emptyFields, type Fields } from "./normalize-fields";
import { FIELD_KEYS, type FieldKey } from "./schemas";
import { draftNotes, draftTags } from "./draft-extras";
import { draftCardNumbers, draftOtherPhones } from "./card-notes";
import type { OtherPhone } from "../contacts/other-phones";

export interface OcrWordView { text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }

export interface DraftView {
  id: string;
  source: DraftContact["source"];
  fields: Fields;
  confidence: Record<FieldKey, number | null>;
  phones: { e164: string; type: string }[];
  /** Every number read from the card, as read: its `phones` and the OCR's fax, each once, in printed order. */
  cardNumbers: { e164: string; type: string }[];
  /**
   * The contact's other numbers as confirm would save them now (card-notes.ts, draftOtherPhones): the card's numbers
   * no field holds, or, once the rep has edited them (`otherPhonesEdited`), the rep's list; never the phone, at most 10.
   */
  otherPhones: OtherPhone[];
  otherPhonesEdited: boolean;
  edited: FieldKey[];
  /** Fields to check for a reason the confidence alone does not show, with a proposed spelling; gone once the rep edits the field. */
  hints: Partial<Record<FieldKey, { message: string; suggestion: string }>>;
  /** The rep's tags for the contact (from the scan page's batch tags, then edited here). */
  tags: string[];
  /** The rep's own note ("met at booth B12"); confirm writes it first in the contact's notes. */
  notes: string | null;
  rawInput: string | null;
  expiresAt: Date;
  createdAt: Date;
  scanId: string | null;
  image: { url: string; originalUrl: string; width: number; height: number } | null;
  words: OcrWordView[];
  sourceWords: Partial<Record<FieldKey, number[]>>;
}

type Json = Record<string, unknown>;

function draftHints(data: Json): DraftView["hints"] {
  const raw = data.hints;
  if (!raw || typeof raw !== "object") return {};
  const out: DraftView["hints"] = {};
  for (const k of FIELD_KEYS) {
    const h = (raw as Json)[k] as Json | undefined;
    if (h && typeof h.message === "string" && typeof h.suggestion === "string") out[k] = { message: h.message, suggestion: h.suggestion };
  }
  return out;
}

export function toDraftView(d: DraftContact): DraftView {
  const data = (d.extractedData ?? {}) as Json;
  const conf = (d.confidenceData ?? {}) as Json;
  const ocr = (d.ocrData ?? null) as Json | null;
  const fields = emptyFields();
  const confidence = {} as Record<FieldKey, number | null>;
  for (const k of FIELD_KEYS) {
    fields[k] = typeof data[k] === "string" ? (data[k] as string) : null;
    confidence[k] = typeof conf[k] === "number" ? (conf[k] as number) : null;
  }
  const { cardNumbers, fax } = draftCardNumbers(data, ocr);
  const read = [...cardNumbers, ...(fax ? [{ e164: fax, type: "fax" }] : [])].filter((p, i, all) => all.findIndex((q) => q.e164 === p.e164) === i);
  const others = draftOtherPhones(data, ocr, fields);
  return {
    id: d.id,
    source: d.source,
    fields,
    confidence,
    phones: Array.isArray(data.phones) ? (data.phones as { e164: string; type: string }[]) : [],
    cardNumbers: read.map((p) => ({ e164: p.e164, type: p.type })),
    otherPhones: others.otherPhones,
    otherPhonesEdited: others.edited,
    edited: Array.isArray(data.edited) ? (data.edited as FieldKey[]) : [],
    hints: draftHints(data),
    tags: draftTags(data),
    notes: draftNotes(data),
    rawInput: d.rawInput,
    expiresAt: d.expiresAt,
    createdAt: d.createdAt,
    scanId: d.scanId,
    image:
      d.scanId && ocr
        ? { url: `/api/scans/${d.scanId}/image?variant=normalized`, originalUrl: `/api/scans/${d.scanId}/image`, width: Number(ocr.imageWidth) || 0, height: Number(ocr.imageHeight) || 0 }
        : null,
    words: ocr && Array.isArray(ocr.words) ? (ocr.words as OcrWordView[]).map((w) => ({ text: w.text, confidence: w.confidence, bbox: w.bbox })) : [],
    sourceWords: ocr && typeof ocr.sourceWords === "object" && ocr.sourceWords ? (ocr.sourceWords as Partial<Record<FieldKey, number[]>>) : {},
  };
}

/** How long a draft waits for review: from its card's reading, and again from each save (edit-drafts.ts). */
export const DRAFT_LIFETIME_MS = 24 * 3600_000;

/** A user's drafts still waiting for review: not confirmed, not expired (the hourly cleanup may lag). */
export function reviewableDrafts(userId: string, now = new Date()) {
  return { userId, status: "PENDING_REVIEW" as const, expiresAt: { gt: now } };
}

export async function findOwnDraft(db: Db, actor: Actor, id: string): Promise<DraftContact> {
  const d = await db.draftContact.findFirst({ where: { id, ...reviewableDrafts(actor.id) } });
  if (!d) throw notFound("Draft");
  return d;
}

/**
 * A bound on the drafts list, not a page size. The list used to stop at the newest 200, so a rep who scanned 250
 * cards at a show never saw the 50 oldest, the first to expire (the dashboard counted them, nothing led to them).
 * Drafts live 24 h and uploads are capped at UPLOAD_DAILY_QUOTA (2,000) a day, so every draft a rep can have
 * fits; the rows are small (no word boxes) and the thumbnails load lazily.
 */
export const MAX_LISTED_DRAFTS = 5_000;

export async function listDrafts(db: Db, actor: Actor) {
  const rows = await db.draftContact.findMany({
    where: reviewableDrafts(actor.id),
    orderBy: { createdAt: "desc" },
    take: MAX_LISTED_DRAFTS,
    // The word boxes are the bulk of a draft and the list shows none: 2,000 drafts took ~360 ms with them, ~15 without.
    omit: { ocrData: true },
  });
  // Which drafts were read from a photo (ocrData, written with the normalized image): those show it as a thumbnail,
  // as the review page does (a card typed in after its scan failed has a scan but no normalized image).
  const read = new Set(
    (await db.$queryRaw<{ id: string }[]>`SELECT "id"::text AS "id" FROM "DraftContact" WHERE "id" = ANY(${rows.map((d) => d.id)}::uuid[]) AND "ocrData" IS NOT NULL`).map((r) => r.id),
  );
  return rows.map((d) => {
    const v = toDraftView({ ...d, ocrData: null });
    return { id: v.id, source: v.source, fields: v.fields, confidence: v.confidence, expiresAt: v.expiresAt, createdAt: v.createdAt, scanId: v.scanId, thumbnailUrl: d.scanId && read.has(d.id) ? `/api/scans/${d.scanId}/image?variant=normalized` : null };
  });
}

export async function getDraft(db: Db, actor: Actor, id: string): Promise<DraftView> {
  return toDraftView(await findOwnDraft(db, actor, id));
}
