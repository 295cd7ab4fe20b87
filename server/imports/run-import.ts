// The worker side of an import: reads the ContactImport row, turns the file into rows,
// and imports them in chunks. Each chunk (its contacts, its merges and the row's
// progress) commits in one transaction, so a re-delivered job resumes after the last
// committed chunk and a finished import is never run twice.
import { randomUUID } from "node:crypto";
import { Prisma, type Db } from "../db";
import type { Logger } from "../logger";
import { canEditContact } from "../contacts/access";
import { CONTACT_TEXT_FIELDS, FIELD_LIMITS, clip, normalizeTags } from "../contacts/normalize";
import { readOtherPhones, uniteOtherPhones } from "../contacts/other-phones";
import { phoneDigitsOf } from "../contacts/phone-digits";
import type { Actor } from "../trpc/context";
import { CONTACT_PAYLOAD_SELECT, contactPayload, createDeliveries, enqueueDeliveries, subscribedWebhookIds } from "../integrations/emit-event";
import { notesAfterMerge, type RowNotesInput } from "./merge-notes";
import { readImport, rowToContact, type ImportRow, type RowContact } from "./read-rows";
import { IMPORT_FIELD_LABELS, type ImportField } from "./schemas";

export const MAX_REPORT_ENTRIES = 1000;
const CHUNK = 500;

export interface ReportEntry { row: number; kind: "invalid" | "skipped"; reason: string }
/**
 * A row merged into a contact: kept in ImportProblem (kind 'merged') with the contact it went into and what it
 * changed there, so an admin can check each merge (list-merged-rows.ts, the "merged" download). Not in
 * ContactImport.report: that polled list stays the first MAX_REPORT_ENTRIES problems.
 */
export interface MergedEntry { row: number; reason: string; contactId: string }

interface Existing {
  id: string;
  ownerId: string;
  fullName: string;
  tags: string[];
  emailNormalized: string | null;
  phoneDigits: string | null;
  dedupeKey: string | null;
  [field: string]: unknown;
}

type Tx = Prisma.TransactionClient;

/** The columns of an existing contact that matching and merging read (Existing). */
const EXISTING_COLUMNS = Prisma.sql`"id", "ownerId", "fullName", "title", "company", "email", "phone", "website", "linkedinUrl", "address", "notes", "tags", "otherPhones",
  "emailNormalized", "phoneDigits", "dedupeKey", "createdAt"`;

/**
 * `isStopping`: asked before each chunk; true (the worker is shutting down) ends the run after the chunks already
 * committed, with status "stopped", and the caller hands the job back (the next run resumes at processedRows).
 */
export async function runImport(db: Db, importId: string, opts: { log?: Logger; chunkSize?: number; isStopping?: () => boolean } = {}): Promise<{ status: string }> {
  const imp = await db.contactImport.findUnique({ where: { id: importId } });
  if (!imp) return { status: "missing" };
  if (imp.status === "DONE" || imp.status === "FAILED") return { status: imp.status };
  const user = await db.user.findUnique({ where: { id: imp.userId }, select: { id: true, role: true, disabledAt: true } });
  if (!user) {
    await finish(db, importId, "FAILED", "The user who started the import no longer exists");
    return { status: "FAILED" };
  }
  // Disabled while the import waited in the queue: a disabled user owns no new contacts (assertActiveOwner).
  if (user.disabledAt) {
    await finish(db, importId, "FAILED", "The user who started the import was disabled before it ran; nothing was imported");
    return { status: "FAILED" };
  }
  const actor: Actor = { id: user.id, role: user.role };
  const { rows, headers } = readImport(imp.content ?? "", imp.format, (imp.mapping as ImportField[] | null) ?? null);
  await db.contactImport.update({
    where: { id: importId },
    data: { status: "PROCESSING", startedAt: imp.startedAt ?? new Date(), totalRows: rows.length, ...(headers ? { headers } : {}) },
  });
  const source = imp.format === "linkedin" ? "linkedin_connection" : "manual";
  let reportCount = Array.isArray(imp.report) ? imp.report.length : 0;
  const size = opts.chunkSize ?? CHUNK;
  for (let start = imp.processedRows; start < rows.length; start += size) {
    if (opts.isStopping?.()) return { status: "stopped" };
    const slice = rows.slice(start, start + size);
    const done = await db.$transaction(
      (tx) => importChunk(tx, { importId, actor, source, unit: imp.format === "vcard" ? "card" : "line", policy: imp.onDuplicate, rows: slice, processedRows: start + slice.length, reportCount }),
      { timeout: 120_000, maxWait: 10_000 },
    );
    reportCount = done.reportCount;
    await enqueueDeliveries(done.deliveryIds);
    opts.log?.debug({ importId, processed: start + slice.length, total: rows.length }, "import progress");
  }
  await finish(db, importId, "DONE", null);
  return { status: "DONE" };
}

export async function finish(db: Db, importId: string, status: "DONE" | "FAILED", error: string | null): Promise<void> {
  // The file is cleared: the report is what stays.
  await db.contactImport.update({ where: { id: importId }, data: { status, error, finishedAt: new Date(), content: null } });
}

interface ChunkInput {
  importId: string;
  actor: Actor;
  source: "linkedin_connection" | "manual";
  /** What a row's number counts in this file, for the report ("line 12", "card 3"). */
  unit: "line" | "card";
  policy: "skip" | "merge" | "create";
  rows: ImportRow[];
  processedRows: number;
  reportCount: number;
}

/** `id`: chosen here (not by the database), so a later row of the file merged into this new contact can name it. */
interface Pending { id: string; row: number; fields: Record<string, unknown>; tags: string[]; email: string | null; phone: string | null; key: string | null }

/** What a merged row changed on its contact, for the report: "filled title, phone; added tags vip, expo". */
function mergeChanges(filled: string[], addedTags: string[]): string {
  const label = (f: string) => (f === "otherPhones" ? "Other phones" : (IMPORT_FIELD_LABELS[f as ImportField] ?? f));
  const parts = [filled.length ? `filled ${filled.map(label).join(", ")}` : "", addedTags.length ? `added tag${addedTags.length === 1 ? "" : "s"} ${addedTags.join(", ")}` : ""];
  return parts.filter(Boolean).join("; ") || "nothing new";
}

/**
 * A contact's tags after a merge adds a row's (its own first, in order), or, when that would give it more than
 * FIELD_LIMITS.tags (30) tags, how many: the merge is then refused, as contacts.merge refuses it, and the row is
 * reported as skipped with that count, instead of some of its tags being dropped where nobody sees it. A contact
 * that already has more (old data) may still take a row that brings no new tag.
 */
export function uniteTagsForMerge(current: readonly string[], adding: readonly string[]): { ok: true; tags: string[] } | { ok: false; count: number } {
  const before = normalizeTags(current);
  const tags = normalizeTags([...before, ...adding]);
  return tags.length > FIELD_LIMITS.tags && tags.length > before.length ? { ok: false, count: tags.length } : { ok: true, tags };
}

function tooManyTags(into: string, count: number): string {
  const extra = count - FIELD_LIMITS.tags;
  return `${into}, not merged: together they have ${count} tags and a contact has at most ${FIELD_LIMITS.tags}; remove ${extra} tag${extra === 1 ? "" : "s"} and import the row again`;
}

/** The name part of a dedupe key ("john doe|initech" → "john doe"); f_contact_key leaves no "|" in a name. */
function nameKeyOf(key: string | null | undefined): string {
  if (!key) return "";
  const bar = key.indexOf("|");
  return bar < 0 ? key : key.slice(0, bar);
}

/** A row's cells as jsonb text; NUL removed (jsonb refuses "\u0000", and PostgreSQL text cannot hold it either). */
function cellsJson(raw: readonly string[] | undefined): string | null {
  return raw ? JSON.stringify(raw.map((cell) => cell.replace(/\u0000/g, ""))) : null;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The contacts a merge may write, locked (FOR UPDATE) until the chunk commits and read again once locked. A merge
 * writes back whole lists (tags, otherPhones) and fills the fields it saw blank: without the lock, a rep's edit
 * committed while the chunk ran (up to 120 s) was overwritten, the tag or number they added gone. Now that edit waits
 * for the chunk, and the chunk merges into what the rep saved before it. Locked in id order, as contacts.merge and
 * draft confirm lock, so two chunks or a chunk and a merge cannot deadlock; then oldest first, as the query above.
 * A contact deleted meanwhile is simply not there to merge into.
 */
async function lockForMerge(tx: Tx, ids: string[]): Promise<Existing[]> {
  if (!ids.length) return [];
  return tx.$queryRaw<Existing[]>`
    SELECT * FROM (SELECT ${EXISTING_COLUMNS} FROM "Contact" WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE) AS locked
    ORDER BY "createdAt" ASC, "id"`;
}

async function importChunk(tx: Tx, c: ChunkInput): Promise<{ reportCount: number; deliveryIds: string[] }> {
  const report: ReportEntry[] = [];
  const valid: { row: number; contact: RowContact }[] = [];
  // The cells of each row as in the file, for the problem rows' download (export-problems.ts).
  const rawByRow = new Map(c.rows.flatMap((r) => (r.raw ? [[r.row, r.raw] as const] : [])));
  for (const r of c.rows) {
    if (r.error || !r.values) {
      report.push({ row: r.row, kind: "invalid", reason: r.error ?? "empty row" });
      continue;
    }
    const res = rowToContact(r.values);
    if (res.ok) valid.push({ row: r.row, contact: res.contact });
    else report.push({ row: r.row, kind: "invalid", reason: res.reason });
  }

  // Duplicate keys, computed by the same SQL functions as the generated columns.
  const keys = valid.length
    ? (
        await tx.$queryRaw<{ key: string }[]>`
          SELECT f_contact_key(t.n) || '|' || coalesce(f_contact_key(t.c), '') AS key
          FROM unnest(${valid.map((v) => v.contact.fields.fullName)}::text[], ${valid.map((v) => v.contact.fields.company ?? null)}::text[]) WITH ORDINALITY AS t(n, c, i)
          ORDER BY t.i`
      ).map((r) => r.key)
    : [];
  const emailOf = (v: RowContact) => v.fields.email ?? null;
  // The key "phoneDigits" holds (an extension after an "x"), from the same function as the column's.
  const phoneOf = (v: RowContact) => (v.fields.phone ? phoneDigitsOf(v.fields.phone) || null : null);

  let existing: Existing[] = [];
  if (c.policy !== "create" && valid.length) {
    const emails = valid.map((v) => emailOf(v.contact)).filter((x): x is string => !!x);
    const phones = valid.map((v) => phoneOf(v.contact)).filter((x): x is string => !!x);
    const names = [...new Set(keys.map(nameKeyOf).filter(Boolean))];
    // By name+company only the oldest contact with an email and the oldest without one can
    // ever match (see sameNameMayMatch below; a same-email contact is found by email), so at
    // most two per key are read: a list of 50,000 "Sales Team, Acme" rows with their own
    // addresses does not read every earlier one again for each chunk. By phone only contacts
    // with one of the rows' names can match (see phoneMayMatch), so a switchboard number that
    // 5,000 colleagues share is not read 5,000 times per chunk.
    const found = await tx.$queryRaw<Existing[]>`
      SELECT * FROM (
        SELECT ${EXISTING_COLUMNS}
        FROM "Contact"
        WHERE "emailNormalized" = ANY(${emails}::text[])
           OR ("phoneDigits" = ANY(${phones}::text[]) AND split_part("dedupeKey", '|', 1) = ANY(${names}::text[]))
        UNION ALL
        (SELECT DISTINCT ON ("dedupeKey", "emailNormalized" IS NULL) ${EXISTING_COLUMNS}
         FROM "Contact" WHERE "dedupeKey" = ANY(${keys}::text[])
         ORDER BY "dedupeKey", "emailNormalized" IS NULL, "createdAt" ASC, "id")
      ) AS found
      ORDER BY "createdAt" ASC, "id"`;
    // One object per contact (both halves may find it): a merge changes it, and later rows must see the change.
    const byId = new Map<string, Existing>();
    for (const e of found) if (!byId.has(e.id)) byId.set(e.id, e);
    existing = c.policy === "merge" ? await lockForMerge(tx, [...byId.keys()]) : [...byId.values()];
  }
  const byEmail = new Map<string, Existing>();
  // Every contact with a number or a name+company key (oldest first), not just the first: a switchboard number is
  // on many contacts, two "Anna Müller" at a big company are common, and the row may be the second one.
  const byPhone = new Map<string, Existing[]>();
  const byKey = new Map<string, Existing[]>();
  for (const e of existing) {
    if (e.emailNormalized && !byEmail.has(e.emailNormalized)) byEmail.set(e.emailNormalized, e);
    if (e.phoneDigits) pushTo(byPhone, e.phoneDigits, e);
    if (e.dedupeKey) pushTo(byKey, e.dedupeKey, e);
  }
  /**
   * Same name and company is a duplicate only when the emails do not say otherwise: if the row
   * and the contact both have an email and they differ, they are two people (real lists have
   * two "Anna Müller" at a big company, each with her own address). Without an email on either
   * side, name and company are all there is to go on, so they still match.
   */
  const sameNameMayMatch = (email: string | null, other: string | null) => !email || !other || email === other;
  /**
   * A shared number is not one person: a company switchboard is printed on every colleague's card, and
   * "Front Desk" is not John Doe. The same phone is a duplicate only when the normalized names are the same
   * (f_contact_key: case, accents and punctuation ignored; the company may differ: a person who changed
   * jobs keeps the mobile) AND the emails do not conflict. A name with no letters or digits proves nothing.
   */
  const phoneMayMatch = (email: string | null, nameKey: string, otherEmail: string | null, otherKey: string | null) =>
    !!nameKey && nameKey === nameKeyOf(otherKey) && sameNameMayMatch(email, otherEmail);

  const fresh: Pending[] = [];
  const pendingByEmail = new Map<string, Pending>();
  const pendingByPhone = new Map<string, Pending[]>();
  const pendingByKey = new Map<string, Pending[]>();
  const merges = new Map<string, { target: Existing; data: Record<string, unknown>; tags: string[] }>();
  let merged = 0;
  let skipped = 0;
  const mergedRows: MergedEntry[] = [];

  valid.forEach((v, i) => {
    const email = emailOf(v.contact);
    const phone = phoneOf(v.contact);
    const key = keys[i] ?? null;
    const nameKey = nameKeyOf(key);
    const fields: Record<string, unknown> = { ...v.contact.fields };
    if (c.policy !== "create") {
      const byName = key ? byKey.get(key)?.find((e) => sameNameMayMatch(email, e.emailNormalized)) : undefined;
      const samePhone = phone ? byPhone.get(phone)?.find((e) => phoneMayMatch(email, nameKey, e.emailNormalized, e.dedupeKey)) : undefined;
      const hit =
        (email && byEmail.get(email) && { target: byEmail.get(email)!, why: "same email" }) ||
        (samePhone && { target: samePhone, why: "same phone" }) ||
        (byName && { target: byName, why: "same name and company" }) ||
        null;
      const pendingByName = key ? pendingByKey.get(key)?.find((p) => sameNameMayMatch(email, p.email)) : undefined;
      const pendingPhone = phone ? pendingByPhone.get(phone)?.find((p) => phoneMayMatch(email, nameKey, p.email, p.key)) : undefined;
      const pendingHit = hit ? null : (email && pendingByEmail.get(email)) || pendingPhone || pendingByName || null;
      if (hit || pendingHit) {
        if (c.policy === "skip") {
          skipped++;
          const what = hit ? `duplicate of existing contact "${clip(hit.target.fullName, 40)}" (${hit.why})` : "duplicate of an earlier row of this file";
          report.push({ row: v.row, kind: "skipped", reason: what });
          return;
        }
        // merge: fill the blanks of the contact already there, add the tags.
        if (hit) {
          if (!canEditContact(c.actor, hit.target)) {
            skipped++;
            report.push({ row: v.row, kind: "skipped", reason: `duplicate of "${clip(hit.target.fullName, 40)}" (${hit.why}), which belongs to another user` });
            return;
          }
          const m = merges.get(hit.target.id) ?? { target: hit.target, data: {}, tags: [...hit.target.tags] };
          const tags = uniteTagsForMerge(m.tags, v.contact.tags);
          if (!tags.ok) {
            skipped++;
            report.push({ row: v.row, kind: "skipped", reason: tooManyTags(`duplicate of existing contact "${clip(hit.target.fullName, 40)}" (${hit.why})`, tags.count) });
            return;
          }
          const filled: string[] = [];
          for (const f of CONTACT_TEXT_FIELDS) {
            if (fields[f] && !hit.target[f] && m.data[f] === undefined) {
              m.data[f] = fields[f];
              filled.push(f);
            }
          }
          const current = (f: "notes" | "website" | "linkedinUrl") => ((m.data[f] !== undefined ? m.data[f] : hit.target[f]) ?? null) as string | null;
          const notes = notesAfterMerge({ notes: current("notes"), website: current("website"), linkedinUrl: current("linkedinUrl") }, fields as RowNotesInput);
          if (notes !== undefined) {
            m.data.notes = notes;
            if (!filled.includes("notes")) filled.push("notes");
          }
          const had = new Set(normalizeTags(m.tags));
          const added = tags.tags.filter((t) => !had.has(t));
          m.tags = tags.tags;
          if (v.contact.fields.otherPhones?.length) {
            // The row's numbers join the contact's (each once, never its phone); past 10 they are left out, like a filled field.
            const phone = (m.data.phone ?? hit.target.phone ?? null) as string | null;
            const before = (m.data.otherPhones as unknown) ?? hit.target.otherPhones;
            const united = uniteOtherPhones([readOtherPhones(before), v.contact.fields.otherPhones], phone).phones;
            if (united.length > readOtherPhones(before).length) filled.push("otherPhones");
            m.data.otherPhones = united;
          }
          merges.set(hit.target.id, m);
          mergedRows.push({
            row: v.row,
            contactId: hit.target.id,
            reason: `"${clip(v.contact.fields.fullName, 40)}" into existing contact "${clip(hit.target.fullName, 40)}" (${hit.why}): ${mergeChanges(filled, added)}`,
          });
          // The contact now has this row's email (it had none): for the rest of the chunk it is
          // that person, so a later row with another address is not merged into it too.
          if (!hit.target.emailNormalized && m.data.email === email && email) {
            hit.target.emailNormalized = email;
            if (!byEmail.has(email)) byEmail.set(email, hit.target);
          }
        } else if (pendingHit) {
          const tags = uniteTagsForMerge(pendingHit.tags, v.contact.tags);
          if (!tags.ok) {
            skipped++;
            report.push({ row: v.row, kind: "skipped", reason: tooManyTags("duplicate of an earlier row of this file", tags.count) });
            return;
          }
          const filled: string[] = [];
          for (const f of CONTACT_TEXT_FIELDS) {
            if (fields[f] && !pendingHit.fields[f]) {
              pendingHit.fields[f] = fields[f];
              filled.push(f);
            }
          }
          const pf = (f: "notes" | "website" | "linkedinUrl") => (pendingHit.fields[f] ?? null) as string | null;
          const notes = notesAfterMerge({ notes: pf("notes"), website: pf("website"), linkedinUrl: pf("linkedinUrl") }, fields as RowNotesInput);
          if (notes !== undefined) {
            pendingHit.fields.notes = notes;
            if (!filled.includes("notes")) filled.push("notes");
          }
          const had = new Set(pendingHit.tags);
          const added = tags.tags.filter((t) => !had.has(t));
          const why = email && pendingByEmail.get(email) === pendingHit ? "same email" : pendingPhone === pendingHit ? "same phone" : "same name and company";
          pendingHit.tags = tags.tags;
          if (v.contact.fields.otherPhones?.length) {
            const before = readOtherPhones(pendingHit.fields.otherPhones);
            const united = uniteOtherPhones([before, v.contact.fields.otherPhones], (pendingHit.fields.phone as string | null) ?? null).phones;
            if (united.length > before.length) filled.push("otherPhones");
            pendingHit.fields.otherPhones = united;
          }
          mergedRows.push({
            row: v.row,
            contactId: pendingHit.id,
            reason: `"${clip(v.contact.fields.fullName, 40)}" into the new contact from ${c.unit} ${pendingHit.row} of this file (${why}): ${mergeChanges(filled, added)}`,
          });
          // An email or phone the earlier row lacked is now its own: later rows must find it by
          // that (and, by the rules above, not take the contact for another person).
          if (!pendingHit.email && email) pendingByEmail.set((pendingHit.email = email), pendingHit);
          if (!pendingHit.phone && phone) pushTo(pendingByPhone, (pendingHit.phone = phone), pendingHit);
        }
        merged++;
        return;
      }
    }
    const p: Pending = { id: randomUUID(), row: v.row, fields, tags: v.contact.tags, email, phone, key };
    fresh.push(p);
    if (email) pendingByEmail.set(email, p);
    if (phone) pushTo(pendingByPhone, phone, p);
    if (key) pushTo(pendingByKey, key, p);
  });

  // Webhooks see imported contacts as they see any other: contact.created for each new one,
  // contact.updated for each merged one; the delivery rows commit with this chunk.
  const hooks = { created: await subscribedWebhookIds(tx, "contact.created"), updated: await subscribedWebhookIds(tx, "contact.updated") };
  const deliveryIds: string[] = [];
  if (fresh.length) {
    // One instant for both stamps: "Undo this import" (undo-import.ts) deletes exactly the contacts still as the
    // import made them, and any later change, by anyone, moves "updatedAt" away from "createdAt".
    const stamp = new Date();
    const data = fresh.map((p) => ({
      ...(p.fields as RowContact["fields"]),
      id: p.id,
      tags: p.tags,
      source: c.source,
      ownerId: c.actor.id,
      importId: c.importId,
      createdAt: stamp,
      updatedAt: stamp,
    }));
    if (hooks.created.length) {
      const created = await tx.contact.createManyAndReturn({ data, select: CONTACT_PAYLOAD_SELECT });
      deliveryIds.push(...(await createDeliveries(tx, hooks.created, "contact.created", created.map((x) => ({ contact: contactPayload(x) })))));
    } else {
      await tx.contact.createMany({ data });
    }
  }
  const updated = [];
  for (const m of merges.values()) {
    updated.push(await tx.contact.update({ where: { id: m.target.id }, data: { ...m.data, tags: m.tags }, select: CONTACT_PAYLOAD_SELECT }));
  }
  deliveryIds.push(...(await createDeliveries(tx, hooks.updated, "contact.updated", updated.map((x) => ({ contact: contactPayload(x) })))));

  // Every problem row and every merged row (with its contact) for the downloads, in one statement per chunk; the first
  // MAX_REPORT_ENTRIES problems also in the row the page polls. ON CONFLICT: a chunk is one transaction, so only a
  // half-written earlier attempt of this very chunk could collide.
  const stored: { row: number; kind: string; reason: string; contactId: string | null }[] = [
    ...report.map((r) => ({ ...r, contactId: null })),
    ...mergedRows.map((r) => ({ ...r, kind: "merged" })),
  ];
  if (stored.length) {
    await tx.$executeRaw`
      INSERT INTO "ImportProblem" ("importId", "row", "kind", "reason", "values", "contactId")
      SELECT ${c.importId}::uuid, t.row, t.kind, t.reason, t.cells::jsonb, t.contact
      FROM unnest(${stored.map((r) => r.row)}::int[], ${stored.map((r) => r.kind)}::text[], ${stored.map((r) => r.reason)}::text[],
                  ${stored.map((r) => cellsJson(rawByRow.get(r.row)))}::text[], ${stored.map((r) => r.contactId)}::uuid[]) AS t(row, kind, reason, cells, contact)
      ON CONFLICT DO NOTHING`;
  }
  const room = Math.max(0, MAX_REPORT_ENTRIES - c.reportCount);
  const kept = report.sort((a, b) => a.row - b.row).slice(0, room);
  const invalid = report.filter((r) => r.kind === "invalid").length;
  await tx.$executeRaw`
    UPDATE "ContactImport" SET
      "processedRows" = ${c.processedRows},
      "created" = "created" + ${fresh.length},
      "merged" = "merged" + ${merged},
      "skipped" = "skipped" + ${skipped},
      "invalid" = "invalid" + ${invalid},
      "report" = "report" || ${JSON.stringify(kept)}::jsonb,
      "updatedAt" = now()
    WHERE "id" = ${c.importId}::uuid`;
  return { reportCount: c.reportCount + kept.length, deliveryIds };
}
