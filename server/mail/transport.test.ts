// The pooled SMTP transport against real SMTP servers: a server that is down fails each send (never a send
// that waits for ever), the same transport sends again once the server is back, and implicit TLS and
// STARTTLS still work through the socket we open ourselves (to turn Nagle's algorithm off).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, it } from "vitest";
import { classifySmtpError } from "./smtp-errors";
import { startMailSink } from "./sink";
import { transportOptions } from "./transport";

const send = (t: nodemailer.Transporter, i: number) => t.sendMail({ from: "a@example.test", to: `r${i}@example.test`, subject: "s", text: "t" });
/** The results, or "still waiting" for sends that have not settled within `ms`. */
async function settleWithin(ps: Promise<unknown>[], ms: number): Promise<PromiseSettledResult<unknown>[] | "still waiting"> {
  return Promise.race([Promise.allSettled(ps), new Promise<"still waiting">((r) => setTimeout(() => r("still waiting"), ms))]);
}

describe("SMTP server down, then back", () => {
  it("more sends than pool connections while refused: each fails as 'no reply'; once the server is up the same transport delivers", async () => {
    const port = 2695;
    const t = nodemailer.createTransport(transportOptions(`smtp://127.0.0.1:${port}?maxConnections=4`));
    try {
      // 20 sends, 4 connections: before the fix the first 4 refusals took the pool's 4 slots for good.
      const down = await settleWithin(Array.from({ length: 20 }, (_, i) => send(t, i)), 10_000);
      expect(down).not.toBe("still waiting");
      const failures = (down as PromiseSettledResult<unknown>[]).map((r) => (r.status === "rejected" ? classifySmtpError(r.reason) : null));
      expect(failures).toHaveLength(20);
      for (const f of failures) expect(f).toMatchObject({ kind: "temporary", noReply: true });

      const sink = await startMailSink({ port });
      try {
        const up = await settleWithin(Array.from({ length: 30 }, (_, i) => send(t, i)), 20_000);
        expect(up).not.toBe("still waiting");
        expect((up as PromiseSettledResult<unknown>[]).every((r) => r.status === "fulfilled")).toBe(true);
        expect(sink.total()).toBe(30);
      } finally {
        t.close(); // first: the sink's close waits for open connections to end
        await sink.close();
      }
    } finally {
      t.close();
    }
  });
});

describe("TLS through our own socket", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sa-tls-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A throw-away self-signed certificate for 127.0.0.1 (openssl is part of the Debian base system).
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
  const key = readFileSync(path.join(dir, "key.pem"));
  const cert = readFileSync(path.join(dir, "cert.pem"));

  it.each([
    ["smtps:// (implicit TLS)", true, "smtps://127.0.0.1:2694?rejectUnauthorized=false", 2694],
    ["STARTTLS required", false, "smtp://127.0.0.1:2693?requireTLS=true&rejectUnauthorized=false", 2693],
  ] as const)("%s delivers over an encrypted connection", async (_name, secure, url, port) => {
    const encrypted: boolean[] = [];
    const server = new SMTPServer({
      secure, key, cert, authOptional: true,
      onData(stream, session, cb) {
        encrypted.push(session.secure);
        stream.resume();
        stream.on("end", () => cb());
      },
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
    const t = nodemailer.createTransport(transportOptions(url));
    try {
      await Promise.all(Array.from({ length: 10 }, (_, i) => send(t, i)));
      expect(encrypted).toEqual(Array(10).fill(true));
    } finally {
      t.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
