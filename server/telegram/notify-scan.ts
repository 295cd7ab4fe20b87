// Worker side: when a scan that came from Telegram finishes, tell the chat. The reply
// summarizes the fields and links to the review page.
import { Api } from "grammy";
import type { Db } from "../db";
import { telegramConfig } from "./config";
import { reviewKeyboard } from "./bot";
import { formatPhone } from "../contacts/contact-links";

const LABELS: [string, string][] = [["fullName", "Name"], ["title", "Title"], ["company", "Company"], ["email", "Email"], ["phone", "Phone"], ["website", "Web"]];

export async function notifyTelegramScan(db: Db, scanId: string): Promise<"sent" | "skipped"> {
  const cfg = telegramConfig();
  if (!cfg) return "skipped";
  const scan = await db.cardScan.findUnique({ where: { id: scanId } });
  if (!scan || scan.source !== "telegram" || !scan.telegramChatId) return "skipped";
  const api = new Api(cfg.token, { apiRoot: cfg.apiRoot });
  const chatId = Number(scan.telegramChatId);
  if (scan.status === "FAILED") {
    await api.sendMessage(chatId, `I could not read that card: ${scan.error ?? "unknown error"}`);
    return "sent";
  }
  if (scan.status !== "DONE" || !scan.draftId) return "skipped";
  const draft = await db.draftContact.findUnique({ where: { id: scan.draftId } });
  if (!draft) return "skipped";
  await api.sendMessage(chatId, draftReadyText(draft.extractedData), { reply_markup: reviewKeyboard(cfg, draft.id) });
  return "sent";
}

/** The "Draft ready" reply: the fields read, a phone as the pages show it ("+1 212 555 0100 ext. 204", not the stored "+12125550100;ext=204"). */
export function draftReadyText(extractedData: unknown): string {
  const data = (extractedData ?? {}) as Record<string, unknown>;
  const lines = LABELS.filter(([k]) => typeof data[k] === "string" && data[k]).map(([k, label]) => `${label}: ${k === "phone" ? formatPhone(String(data[k])) : data[k]}`);
  return lines.length ? `Draft ready:\n${lines.join("\n")}` : "Draft ready, but I found no fields. Please check the photo.";
}
