// One pooled SMTP transport per process (nodemailer), configured by SMTP_URL:
//   smtp://host:port  smtps://user:pass@host:465  ?maxConnections=10&ignoreTLS=true&rejectUnauthorized=false
// The pool keeps connections open between messages; close it on shutdown.
import net from "node:net";
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { getEnv } from "../env";
import { envSetting } from "../env-setting";

// maxRequeues is an SMTP pool option nodemailer reads (lib/smtp-pool) but its type definitions lack.
type PoolOptions = SMTPPool.Options & { maxRequeues?: number };

export function transportOptions(url: string): PoolOptions {
  const u = new URL(url);
  const q = u.searchParams;
  const secure = u.protocol === "smtps:";
  const bool = (k: string) => (q.has(k) ? q.get(k) === "true" || q.get(k) === "1" : undefined);
  return {
    pool: true,
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    maxConnections: Number(q.get("maxConnections") ?? envSetting("SMTP_MAX_CONNECTIONS") ?? 8),
    // Reconnect now and then rather than never: some servers cap messages per session.
    maxMessages: Number(q.get("maxMessages") ?? 1000),
    ignoreTLS: bool("ignoreTLS"),
    requireTLS: bool("requireTLS"),
    tls: q.has("rejectUnauthorized") ? { rejectUnauthorized: bool("rejectUnauthorized") } : undefined,
    // Shorter than the recipient lease (docs/campaigns.md), so a hung server fails a send
    // (retried when it hung before the message was handed over, UNCERTAIN when it may have
    // been: smtp-errors.ts) instead of leaving it for the lease sweeper.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    // Never re-send a message by itself when its connection closes mid-send (nodemailer's default re-queues it
    // without end, so a relay that accepts TCP and closes before its greeting kept a send pending for ever, and a
    // close after the message may have been handed over would have sent it twice): the send fails, and
    // smtp-errors.ts calls it UNCERTAIN ("… after connection was closed").
    maxRequeues: 0,
    disableFileAccess: true,
    disableUrlAccess: true,
    // Our own TCP socket, only to turn Nagle's algorithm off: with it on, every message
    // waited ~40 ms for a delayed ACK (22 msg/s per connection instead of ~700).
    // It is handed over at once, still connecting: a refused or silent connection then fails
    // inside nodemailer's connection (socket error, greeting timeout), which its pool counts as
    // a failed connection. Reporting the failure through this callback instead, as this code
    // once did, left the pool's slot taken for good: after maxConnections refusals every later
    // message (also once the server was back) waited for ever, until the worker restarted.
    // nodemailer still upgrades it to TLS for smtps:// and STARTTLS.
    getSocket: (options, callback) => {
      const socket = net.connect({ host: options.host ?? "127.0.0.1", port: options.port ?? 587 });
      socket.setNoDelay(true);
      callback(null, { connection: socket });
    },
  };
}

const globalForMail = globalThis as unknown as { __salesAgentMail?: Transporter };

export function getMailTransport(): Transporter {
  return (globalForMail.__salesAgentMail ??= nodemailer.createTransport(transportOptions(getEnv().SMTP_URL)));
}

export async function closeMailTransport(): Promise<void> {
  const t = globalForMail.__salesAgentMail;
  globalForMail.__salesAgentMail = undefined;
  t?.close();
}

/** "Name <a@b>" → parts; the default sender comes from MAIL_FROM. */
export function parseAddress(value: string): { name: string; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (m) return { name: m[1].trim(), address: m[2].trim() };
  return { name: "", address: value.trim() };
}

export function defaultSender(): { name: string; address: string } {
  return parseAddress(getEnv().MAIL_FROM);
}
