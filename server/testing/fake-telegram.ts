// A local HTTP server that plays Telegram's Bot API for tests: it answers getFile and
// serves file downloads, and records sendMessage. Shapes follow the Bot API docs:
// POST /bot<token>/<method> → {"ok":true,"result":…}; GET /file/bot<token>/<file_path>.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SentMessage { chat_id: number | string; text: string; reply_markup?: { inline_keyboard?: { text: string; url?: string }[][] } }

export interface FakeTelegram {
  apiRoot: string;
  sent: SentMessage[];
  /** Every Bot API method called, with its parameters (setWebhook, getFile …). */
  calls: { method: string; body: Record<string, unknown> }[];
  /** Registers a file; returns its file_id. `reportedSize` may differ from the real bytes (null = omit). */
  addFile(bytes: Buffer, opts?: { reportedSize?: number | null }): string;
  /** The next `n` sendMessage calls are answered 429 (Telegram's flood limit), and not recorded. */
  refuseSends(n: number): void;
  close(): Promise<void>;
}

export async function startFakeTelegram(token: string, port = 0): Promise<FakeTelegram> {
  const files = new Map<string, { bytes: Buffer; path: string; reportedSize: number | null }>();
  const sent: SentMessage[] = [];
  const calls: FakeTelegram["calls"] = [];
  let seq = 0;
  let messageId = 1000;
  let refuse = 0;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    // Test control (not part of the Bot API): what the bot sent, and files to "upload".
    if (url.pathname === "/__test/sent") return reply(200, sent);
    if (req.method === "POST" && url.pathname === "/__test/file") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const bytes = Buffer.concat(chunks);
      const id = `file${++seq}`;
      files.set(id, { bytes, path: `photos/${id}.jpg`, reportedSize: bytes.length });
      return reply(200, { file_id: id, file_size: bytes.length });
    }
    if (req.method === "GET" && url.pathname.startsWith(`/file/bot${token}/`)) {
      const path = url.pathname.slice(`/file/bot${token}/`.length);
      const f = [...files.values()].find((x) => x.path === path);
      if (!f) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": f.bytes.length });
      return res.end(f.bytes);
    }
    const m = url.pathname.match(/^\/bot([^/]+)\/(\w+)$/);
    if (!m) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    if (m[1] !== token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    calls.push({ method: m[2], body });
    switch (m[2]) {
      case "getFile": {
        const f = files.get(String(body.file_id));
        if (!f) return reply(400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
        const result: Record<string, unknown> = { file_id: body.file_id, file_unique_id: `u${body.file_id}`, file_path: f.path };
        if (f.reportedSize !== null) result.file_size = f.reportedSize;
        return reply(200, { ok: true, result });
      }
      case "sendMessage": {
        if (refuse > 0) {
          refuse--;
          return reply(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } });
        }
        sent.push(body as unknown as SentMessage);
        return reply(200, { ok: true, result: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: "private" }, text: body.text } });
      }
      case "getWebhookInfo": {
        const set = [...calls].reverse().find((c) => c.method === "setWebhook");
        return reply(200, { ok: true, result: { url: set?.body.url ?? "", has_custom_certificate: false, pending_update_count: 0 } });
      }
      default:
        return reply(200, { ok: true, result: true });
    }
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const bound = (server.address() as AddressInfo).port;
  return {
    apiRoot: `http://127.0.0.1:${bound}`,
    sent,
    calls,
    addFile(bytes, opts = {}) {
      const id = `file${++seq}`;
      files.set(id, { bytes, path: `photos/${id}.jpg`, reportedSize: opts.reportedSize === undefined ? bytes.length : opts.reportedSize });
      return id;
    },
    refuseSends(n) {
      refuse = n;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
