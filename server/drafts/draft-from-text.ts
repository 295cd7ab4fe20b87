// Pasted text (an email signature, a forwarded message) → the same parser as OCR → a draft.
import type { Db } from "../db";
import { Prisma } from "../db";
import type { Actor } from "../trpc/context";
import { parseCardText } from "../ocr";
import { AppError } from "../errors";
import { parseTagInput } from "../contacts/normalize";
import { toDbText } from "../validation/db-safe";

export async function draftFromText(db: Db, actor: Actor, rawText: string, opts: { region: string; source?: "text_input" | "telegram"; telegramChatId?: bigint; /** the scan page's batch tags, as typed */ tags?: string | readonly string[] }) {
  // The tRPC schema cleans pasted text already; a Telegram message comes straight here. A NUL
  // would make PostgreSQL refuse the draft (a 500), so it is dropped for every caller.
  const text = toDbText(rawText, true);
  // Before parsing: bad tags are the rep's to fix, and nothing is created meanwhile.
  const tags = parseTagInput(opts.tags);
  if (!tags.ok) throw new AppError("VALIDATION", `tags: ${tags.reason}`, { details: { fieldErrors: { tags: [tags.reason] } } });
  const parsed = parseCardText(text, { defaultRegion: opts.region });
  const found = Object.values(parsed.fields).some((v) => v);
  if (!found) throw new AppError("VALIDATION", "No contact details were found in that text (no name, email, phone or company).");
  const draft = await db.draftContact.create({
    data: {
      userId: actor.id,
      source: opts.source ?? "text_input",
      telegramChatId: opts.telegramChatId,
      extractedData: { ...parsed.fields, phones: parsed.phones.map((p) => ({ e164: p.e164, type: p.type })), tags: tags.tags } as Prisma.InputJsonValue,
      confidenceData: parsed.confidence as Prisma.InputJsonValue,
      rawInput: text,
    },
  });
  return { draftId: draft.id };
}
