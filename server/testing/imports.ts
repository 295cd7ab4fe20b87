// Test helper for imports: writes the import row as startImport does (without the queue) and runs it in process,
// so a test reads the report of a real import of `text` at once.
import { getDb } from "../db";
import type { Actor } from "../trpc/context";
import { previewImport } from "../imports/preview-import";
import { runImport } from "../imports/run-import";
import { callerFor } from "./fixtures";

export interface ImportTextOptions {
  onDuplicate?: "skip" | "merge" | "create";
  /** The column mapping; the preview's automatic one when not given (vCard has none). */
  mapping?: string[];
  fileName?: string;
  /** Small chunks by default, so a few rows already cross chunk boundaries. */
  chunkSize?: number;
}

export async function importText(actor: Actor, text: string, opts: ImportTextOptions = {}) {
  const preview = previewImport({ text });
  const row = await getDb().contactImport.create({
    data: {
      userId: actor.id,
      format: preview.kind,
      onDuplicate: opts.onDuplicate ?? "skip",
      content: text,
      fileName: opts.fileName,
      mapping: preview.kind === "vcard" ? undefined : ((opts.mapping ?? preview.mapping) as never),
    },
  });
  await runImport(getDb(), row.id, { chunkSize: opts.chunkSize ?? 3 });
  return { id: row.id, preview, report: await callerFor(actor).imports.get({ id: row.id }) };
}
