// Starts an import: checks the file, writes the ContactImport row (the status the UI
// polls), then enqueues the worker job. The request never parses the whole file.
import type { Db } from "../db";
import { AppError } from "../errors";
import { logger } from "../logger";
import { enqueueImport } from "../queues/definitions";
import type { Actor } from "../trpc/context";
import { assertTextLooksLikeText, decodeImportBytes, describeEncoding, MAX_IMPORT_BYTES, previewHead } from "./decode";
import { previewImport } from "./preview-import";
import { autoMapping, parseCsv } from "./parse-csv";
import { validateMapping } from "./read-rows";
import type { DuplicatePolicy, ImportField } from "./schemas";
import { looksLikeVcard } from "./vcard";
import { consumeLimit } from "../abuse/limits";

export interface StartImportInput {
  text: string;
  kind: "csv" | "vcard" | "auto";
  onDuplicate: DuplicatePolicy;
  mapping?: ImportField[];
  fileName?: string;
  encoding?: string;
}

export async function startImport(db: Db, actor: Actor, input: StartImportInput): Promise<{ jobId: string }> {
  await consumeLimit("import", actor.id);
  const text = input.text.replace(/^\uFEFF/, "");
  if (Buffer.byteLength(text, "utf8") > MAX_IMPORT_BYTES) throw new AppError("VALIDATION", "The file is larger than 10 MB", { details: { tooLarge: true } });
  assertTextLooksLikeText(text);
  if (!text.trim()) throw new AppError("VALIDATION", "The file is empty");

  const isVcard = looksLikeVcard(text);
  if (input.kind === "vcard" && !isVcard) throw new AppError("VALIDATION", "No vCard found: a .vcf file starts with BEGIN:VCARD");
  let format: "csv" | "linkedin" | "vcard" = "vcard";
  let mapping: ImportField[] | null = null;
  if (!isVcard) {
    const head = parseCsv(text.slice(0, Math.max(text.lastIndexOf("\n", 64 * 1024), 0) || 64 * 1024));
    if (!head.headers.length || head.headers.every((h) => !h)) throw new AppError("VALIDATION", "The file has no header row");
    format = head.linkedin ? "linkedin" : "csv";
    const auto = autoMapping(head.headers, head.linkedin);
    mapping = head.headers.map((_, i) => input.mapping?.[i] ?? (input.mapping ? "ignore" : auto[i]));
    validateMapping(mapping);
  }

  const row = await db.contactImport.create({
    data: {
      userId: actor.id,
      format,
      onDuplicate: input.onDuplicate,
      fileName: input.fileName?.slice(0, 255) ?? null,
      encoding: input.encoding ?? null,
      content: text,
      mapping: mapping ?? undefined,
    },
    select: { id: true },
  });
  try {
    await enqueueImport(row.id);
  } catch (err) {
    logger.warn({ err: String(err), importId: row.id }, "could not enqueue import");
    await db.contactImport.delete({ where: { id: row.id } }).catch(() => {});
    throw new AppError("UNAVAILABLE", "The import queue is unavailable; try again in a minute", { retryAfter: 30, cause: err });
  }
  return { jobId: row.id };
}

/** An uploaded file (bytes): decoded (UTF-8 / BOM / Windows-1252, see decode.ts), then started. */
export async function startImportFromBytes(db: Db, actor: Actor, input: Omit<StartImportInput, "text" | "encoding"> & { bytes: Uint8Array }) {
  const decoded = decodeImportBytes(input.bytes);
  return startImport(db, actor, { ...input, text: decoded.text, encoding: describeEncoding(decoded) });
}

/**
 * The head of an uploaded file (the browser sends the first 256 KB): decoded and previewed. previewHead cuts it as
 * decodeImportBytes cuts the whole file to decide its encoding, so the preview shows what the import will write.
 */
export function previewImportFromBytes(bytes: Uint8Array, truncated: boolean) {
  const decoded = decodeImportBytes(previewHead(bytes, truncated));
  return previewImport({ text: decoded.text, encoding: describeEncoding(decoded) });
}
