// A local SMTP sink (the smtp-server package): accepts mail, counts it per address, and
// optionally keeps headers or whole messages (and writes .eml files). Used by
// `npm run dev` (scripts/mail-sink.ts), the e2e runner, the benchmark and the tests.
// `reply` can refuse a recipient with any SMTP code (451 to test retries, 550 bounces).
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

export interface SinkMessage {
  to: string[];
  from: string;
  subject: string;
  messageId: string;
  listUnsubscribe: string | null;
  listUnsubscribePost: string | null;
  receivedAt: string;
  size: number;
  raw?: string;
}

export interface SinkOptions {
  port: number;
  host?: string;
  /** Called for every RCPT TO with how many times this address was offered before. */
  reply?: (address: string, attempt: number) => { code: number; message: string } | null | undefined;
  /** "count" keeps only counters; "headers" also keeps parsed headers; "full" keeps the raw text. */
  keep?: "count" | "headers" | "full";
  /** Write every message as an .eml file here. */
  dir?: string;
  /** Serve GET /messages (JSON) and DELETE /messages on this port. */
  httpPort?: number;
}

export interface MailSink {
  port: number;
  received: Map<string, number>;
  messages: SinkMessage[];
  rcptAttempts: Map<string, number>;
  total(): number;
  duplicates(): string[];
  reset(): void;
  close(): Promise<void>;
}

function headerBlock(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const map = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      if (!map.has(k)) map.set(k, line.slice(i + 1).trim());
    }
  }
  return map;
}

export async function startMailSink(opts: SinkOptions): Promise<MailSink> {
  const keep = opts.keep ?? "headers";
  const received = new Map<string, number>();
  const rcptAttempts = new Map<string, number>();
  const messages: SinkMessage[] = [];
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  let seq = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    banner: "sales-agent mail sink",
    maxClients: 200,
    size: 25 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const addr = address.address.toLowerCase();
      const n = rcptAttempts.get(addr) ?? 0;
      rcptAttempts.set(addr, n + 1);
      const r = opts.reply?.(addr, n);
      if (r) return callback(Object.assign(new Error(r.message), { responseCode: r.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        // Counted before the 250 reply: a message the sender never hears about is still counted.
        for (const a of to) received.set(a, (received.get(a) ?? 0) + 1);
        if (keep !== "count" || opts.dir) {
          const raw = Buffer.concat(chunks).toString("utf8");
          const h = headerBlock(raw);
          const msg: SinkMessage = {
            to,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            subject: h.get("subject") ?? "",
            messageId: h.get("message-id") ?? "",
            listUnsubscribe: h.get("list-unsubscribe") ?? null,
            listUnsubscribePost: h.get("list-unsubscribe-post") ?? null,
            receivedAt: new Date().toISOString(),
            size: raw.length,
            raw: keep === "full" ? raw : undefined,
          };
          if (keep !== "count") messages.push(msg);
          if (opts.dir) {
            const name = `${msg.receivedAt.replace(/[:.]/g, "-")}-${String(++seq).padStart(5, "0")}-${to[0]?.replace(/[^a-z0-9@._-]/gi, "_") ?? "unknown"}.eml`;
            try { writeFileSync(path.join(opts.dir, name), raw); } catch { /* a full disk must not refuse mail */ }
          }
        }
        callback(null, "queued");
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });

  let http: HttpServer | undefined;
  if (opts.httpPort) {
    http = createHttpServer((req, res) => {
      if (req.url?.startsWith("/messages")) {
        if (req.method === "DELETE") {
          messages.length = 0;
          received.clear();
          res.writeHead(204).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ total: [...received.values()].reduce((a, b) => a + b, 0), messages }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      http!.once("error", reject);
      http!.listen(opts.httpPort, opts.host ?? "127.0.0.1", () => resolve());
    });
  }

  return {
    port: opts.port,
    received,
    messages,
    rcptAttempts,
    total: () => [...received.values()].reduce((a, b) => a + b, 0),
    duplicates: () => [...received.entries()].filter(([, n]) => n > 1).map(([a]) => a),
    reset: () => {
      received.clear();
      rcptAttempts.clear();
      messages.length = 0;
    },
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      if (http) await new Promise<void>((r) => http!.close(() => r()));
    },
  };
}
