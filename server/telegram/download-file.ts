// Fetches a file the user sent, through the Bot API's getFile + file endpoint, with a
// hard size cap while streaming (the size Telegram reports is checked first, too).
import type { Api } from "grammy";
import { AppError } from "../errors";

export async function downloadTelegramFile(api: Api, cfg: { token: string; apiRoot: string }, fileId: string, maxBytes: number): Promise<Buffer> {
  const file = await api.getFile(fileId);
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new AppError("VALIDATION", "too large");
  if (!file.file_path) throw new AppError("VALIDATION", "Telegram did not provide the file");
  const res = await fetch(`${cfg.apiRoot}/file/bot${cfg.token}/${file.file_path}`);
  if (!res.ok || !res.body) throw new Error(`file download failed: HTTP ${res.status}`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new AppError("VALIDATION", "too large");
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
