"use client";
// What the rep typed on a draft and has not saved yet, kept in this tab's sessionStorage: a phone browser discards a
// background tab (the rep opened the camera or a chat) and reloads it, and Back leaves the page without asking. The
// booth note typed at the stand is the most valuable thing on the card, so a reload brings it back, and a draft
// that expired or was handled elsewhere still leaves what was typed, to make the contact from.
// sessionStorage (not localStorage): it stays with this tab and goes when the tab is closed, like the batch list.
import type { Values } from "./fields";
import { FIELDS } from "./fields";
import { MAX_OTHER_PHONES, isOtherPhoneType, type OtherPhoneType } from "@/server/contacts/other-phones";

export interface DraftEdits {
  values: Values;
  tags: string;
  notes: string;
  /** Where the card came from, for a contact made from these edits once the draft is gone. */
  source: "card_scan" | "text_input" | "telegram";
  /** The "Other numbers" rows as typed. Absent in copies kept before the page had them: the draft's own are used then. */
  otherPhones?: { type: OtherPhoneType; number: string }[];
}

const key = (id: string) => `sales-agent:draft-edits:${id}`;
const SOURCES = new Set(["card_scan", "text_input", "telegram"]);

/** The kept edits, or null when there are none or what is stored is not a draft's edits (anything else is ignored). */
export function readDraftEdits(id: string): DraftEdits | null {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(key(id)) ?? "null");
    if (!raw || typeof raw !== "object") return null;
    const r = raw as Record<string, unknown>;
    const v = r.values as Record<string, unknown> | undefined;
    if (!v || typeof v !== "object" || typeof r.tags !== "string" || typeof r.notes !== "string" || !SOURCES.has(String(r.source))) return null;
    if (!FIELDS.every((f) => typeof v[f.key] === "string")) return null;
    const values = Object.fromEntries(FIELDS.map((f) => [f.key, v[f.key] as string])) as Values;
    const edits: DraftEdits = { values, tags: r.tags, notes: r.notes, source: r.source as DraftEdits["source"] };
    const otherPhones = readRows(r.otherPhones);
    if (otherPhones) edits.otherPhones = otherPhones;
    return edits;
  } catch {
    return null;
  }
}

/** Kept rows, or undefined when there are none or they are not rows (then the draft's own numbers are shown). */
function readRows(raw: unknown): DraftEdits["otherPhones"] {
  if (!Array.isArray(raw) || raw.length > MAX_OTHER_PHONES) return undefined;
  const rows = raw.map((r) => (r && typeof r === "object" ? (r as Record<string, unknown>) : {}));
  if (!rows.every((r) => isOtherPhoneType(r.type) && typeof r.number === "string" && r.number.length <= 1000)) return undefined;
  return rows.map((r) => ({ type: r.type as OtherPhoneType, number: r.number as string }));
}

export function writeDraftEdits(id: string, edits: DraftEdits): void {
  try {
    sessionStorage.setItem(key(id), JSON.stringify(edits));
  } catch {
    // Private mode or full storage: the page still works, without the copy.
  }
}

export function clearDraftEdits(id: string): void {
  try {
    sessionStorage.removeItem(key(id));
  } catch {
    // Unavailable storage: nothing was kept.
  }
}
