// classifySmtpError on the errors nodemailer really raises, stage by stage, against real SMTP servers:
// what is known to have failed before the message was handed over is retried (temporary); a failure
// while the answer to the final "." was awaited is UNCERTAIN (the server may have the message); and a
// 5xx suppresses the address (hard bounce) only when it is about the recipient's mailbox.
import net, { type AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifySmtpError, type SendFailure } from "./smtp-errors";
import { startTestRelay, type RelayHooks, type TestRelay } from "./test-relay";
import { transportOptions } from "./transport";

let relay: TestRelay;
beforeAll(async () => { relay = await startTestRelay(); });
afterAll(async () => { await relay.close(); });

/** One send through the app's transport options (short timeouts), classified; null when it was accepted. */
async function failureOf(port: number, to = "someone@example.test"): Promise<SendFailure | null> {
  const t = nodemailer.createTransport({ ...transportOptions(`smtp://127.0.0.1:${port}`), greetingTimeout: 400, socketTimeout: 600 });
  try {
    await t.sendMail({ from: "sales@acme.test", to, subject: "s", text: "t" });
    return null;
  } catch (err) {
    return classifySmtpError(err);
  } finally {
    t.close();
  }
}

async function withHooks(hooks: RelayHooks, to?: string) {
  relay.hooks = hooks;
  relay.received.clear();
  return { failure: await failureOf(relay.port, to), received: [...relay.received.values()].reduce((a, b) => a + b, 0) };
}

describe("before the message was handed over: retried", () => {
  it("a refused connection and a server that never greets are temporary", async () => {
    expect(await failureOf(9)).toMatchObject({ kind: "temporary", noReply: true, reason: expect.stringMatching(/ECONNREFUSED/) });
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    try {
      expect(await failureOf((silent.address() as AddressInfo).port)).toMatchObject({ kind: "temporary", noReply: true, reason: expect.stringMatching(/Greeting never received/) });
    } finally {
      silent.close();
    }
  });

  it("a 4xx reply, also to the final '.', is temporary", async () => {
    expect((await withHooks({ mailFrom: () => ({ code: 451, message: "4.7.1 Sender rate limited" }) })).failure).toMatchObject({ kind: "temporary", noReply: false });
    expect(await withHooks({ data: () => ({ reply: { code: 451, message: "4.3.0 Try again later" } }) })).toEqual({ failure: expect.objectContaining({ kind: "temporary", noReply: false }), received: 1 });
  });
});

describe("after the message was handed over, no answer: UNCERTAIN", () => {
  it("the answer to the final '.' comes after the socket timeout", async () => {
    const r = await withHooks({ data: () => ({ delayMs: 1500 }) });
    expect(r.received).toBe(1); // the server has it: sending again would deliver it twice
    expect(r.failure).toMatchObject({ kind: "uncertain", noReply: true, reason: expect.stringMatching(/^ETIMEDOUT /) });
  });

  it("the connection is closed instead of answering the final '.'", async () => {
    const r = await withHooks({ data: () => ({ drop: true }) });
    expect(r.received).toBe(1);
    expect(r.failure).toMatchObject({ kind: "uncertain", noReply: true, reason: expect.stringMatching(/^ECONNECTION Connection closed unexpectedly/) });
  });
});

describe("5xx: a hard bounce only when the mailbox is refused", () => {
  it.each([
    ["RCPT TO 550 5.1.1", { rcptTo: () => ({ code: 550, message: "5.1.1 <x>: Recipient address rejected: User unknown" }) }, { hardBounce: true, setup: false }],
    ["RCPT TO 550 without an enhanced code", { rcptTo: () => ({ code: 550, message: "No such user here" }) }, { hardBounce: true, setup: false }],
    ["RCPT TO 552 5.2.2 (mailbox full)", { rcptTo: () => ({ code: 552, message: "5.2.2 Mailbox full" }) }, { hardBounce: false, setup: false }],
    ["RCPT TO 550 5.7.1 (relaying denied)", { rcptTo: () => ({ code: 550, message: "5.7.1 Relaying denied" }) }, { hardBounce: false, setup: true }],
    ["RCPT TO 550 without an enhanced code, about relaying", { rcptTo: () => ({ code: 550, message: "Relaying denied" }) }, { hardBounce: false, setup: true }],
    ["MAIL FROM 553 5.7.1 (sender not owned)", { mailFrom: () => ({ code: 553, message: "5.7.1 Sender address rejected: not owned by user" }) }, { hardBounce: false, setup: true }],
    ["MAIL FROM 550 5.1.1 (about the sender, whatever the code)", { mailFrom: () => ({ code: 550, message: "5.1.1 Sender unknown" }) }, { hardBounce: false, setup: true }],
    ["MAIL FROM 550 5.7.60 (not allowed to send as)", { mailFrom: () => ({ code: 550, message: "5.7.60 Client does not have permissions to send as this sender" }) }, { hardBounce: false, setup: true }],
    ["final '.' 550 5.7.1 (spam)", { data: () => ({ reply: { code: 550, message: "5.7.1 Message rejected as spam" } }) }, { hardBounce: false, setup: true }],
  ] as const)("%s", async (_name, hooks, expected) => {
    const { failure } = await withHooks(hooks as RelayHooks);
    expect(failure).toMatchObject({ kind: "permanent", noReply: false, ...expected });
  });
});
