// The dev sink's on-demand failures, through a real SMTP conversation (nodemailer → smtp-server).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { startMailSink, type MailSink } from "../../server/mail/sink";
import { freePort } from "../../server/testing/free-port";
import { devSinkReply } from "./dev-sink-replies";

describe("devSinkReply", () => {
  it.each([
    ["jane+bounce@example.com", 0, 550],
    ["jane+bounce@example.com", 5, 550],
    ["JANE+BOUNCE@EXAMPLE.COM", 0, 550],
    ["jane+defer@example.com", 0, 451],
    ["jane+defer@example.com", 3, 451],
    ["jane+flaky@example.com", 0, 451],
    ["jane+flaky@example.com", 1, null],
    ["jane@example.com", 0, null],
    ["jane+newsletter@example.com", 0, null],
    ["a+b+bounce@example.com", 0, 550], // the last tag counts
    ["+bounce@example.com", 0, 550],
    ["bounce@example.com", 0, null], // no tag, just the word
    ["jane+bounce", 0, null], // no domain: not an address
    ["", 0, null],
    ["x".repeat(10_000) + "+bounce@example.com", 0, 550],
  ])("%s, attempt %i → %s", (address, attempt, code) => {
    expect(devSinkReply(address, attempt)?.code ?? null).toBe(code);
  });
});

describe("through SMTP", () => {
  let sink: MailSink;
  beforeAll(async () => {
    sink = await startMailSink({ port: await freePort(), keep: "count", reply: devSinkReply });
  });
  afterAll(() => sink.close());

  const send = (to: string) =>
    nodemailer.createTransport({ host: "127.0.0.1", port: sink.port, secure: false, ignoreTLS: true }).sendMail({ from: "a@example.com", to, subject: "s", text: "t" });

  it("+bounce is refused with 550, +flaky with 451 then accepted, a plain address is accepted", async () => {
    await expect(send("b+bounce@example.com")).rejects.toMatchObject({ responseCode: 550 });
    await expect(send("f+flaky@example.com")).rejects.toMatchObject({ responseCode: 451 });
    await expect(send("f+flaky@example.com")).resolves.toMatchObject({ accepted: ["f+flaky@example.com"] });
    await expect(send("plain@example.com")).resolves.toMatchObject({ accepted: ["plain@example.com"] });
    expect(sink.received.get("b+bounce@example.com")).toBeUndefined();
    expect(sink.received.get("f+flaky@example.com")).toBe(1);
  });
});
