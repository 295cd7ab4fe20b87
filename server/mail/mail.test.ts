// Templates, unsubscribe tokens, SMTP error classes and the sink itself.
import { describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { checkTemplate, compileTemplates, mergeDataFor } from "./templates";
import { signUnsubscribeToken, verifyUnsubscribeToken } from "./unsubscribe-token";
import { classifySmtpError } from "./smtp-errors";
import { campaignMessageId, composeMessage } from "./compose";
import { startMailSink } from "./sink";
import { transportOptions } from "./transport";

describe("templates", () => {
  it("escapes merge values in HTML but not in the subject or text, and keeps the subject on one line", () => {
    const t = compileTemplates({ subject: "For {{company}}", html: "<b>{{company}}</b>", text: "{{company}}" });
    const out = t.render(mergeDataFor({ fullName: "Jo", company: "R&D <Lab>\nTwo" }, "http://x/u"));
    expect(out).toEqual({ subject: "For R&D <Lab> Two", html: "<b>R&amp;D &lt;Lab&gt;\nTwo</b>", text: "R&D <Lab>\nTwo" });
  });

  it("reports unknown tags, helpers and partials with their line; allows #if and #unless", () => {
    expect(checkTemplate("text", "{{#if company}}{{company}}{{else}}friend{{/if}}")).toEqual([]);
    const w = checkTemplate("text", "a\n{{nickname}}\n{{#each x}}{{/each}}\n{{> footer}}");
    expect(w.map((x) => [x.tag, x.line])).toEqual([["nickname", 2], ["each", 3], ["x", 3], [">", 4]]);
  });

  it("refuses triple braces and javascript: links in HTML", () => {
    expect(() => checkTemplate("html", "<p>{{{fullName}}}</p>")).toThrow(/Triple braces/);
    expect(() => checkTemplate("html", '<a href="javascript:alert(1)">x</a>')).toThrow(/javascript:/);
  });
});

describe("unsubscribe tokens", () => {
  it("round-trips, and rejects tampering, another secret and expiry", () => {
    const t = signUnsubscribeToken({ email: "A@B.test", campaignId: null }, "secret-one-1234567");
    expect(verifyUnsubscribeToken(t, "secret-one-1234567")).toMatchObject({ email: "a@b.test", campaignId: null });
    expect(() => verifyUnsubscribeToken(t, "secret-two-1234567")).toThrow(/not valid/);
    expect(() => verifyUnsubscribeToken(t.slice(0, -2) + "AA", "secret-one-1234567")).toThrow(/not valid/);
    expect(() => verifyUnsubscribeToken("garbage", "secret-one-1234567")).toThrow(/not valid/);
    const old = signUnsubscribeToken({ email: "a@b.test", expiresAt: new Date(1000) }, "secret-one-1234567");
    expect(() => verifyUnsubscribeToken(old, "secret-one-1234567")).toThrow(/expired/);
  });
});

describe("SMTP errors", () => {
  it("4xx and connection errors are temporary; 5xx permanent; 550/5.1.1 are hard bounces", () => {
    expect(classifySmtpError({ responseCode: 451, response: "451 later" }).kind).toBe("temporary");
    expect(classifySmtpError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }).kind).toBe("temporary");
    expect(classifySmtpError({ responseCode: 550, response: "550 5.1.1 unknown user" })).toMatchObject({ kind: "permanent", hardBounce: true });
    expect(classifySmtpError({ responseCode: 552, response: "552 too big" })).toMatchObject({ kind: "permanent", hardBounce: false });
  });
});

describe("compose and the sink", () => {
  it("delivers a composed message with its Message-ID and one-click unsubscribe headers", async () => {
    const sink = await startMailSink({ port: 2612, keep: "full" });
    const tr = nodemailer.createTransport(transportOptions("smtp://127.0.0.1:2612"));
    try {
      const msg = composeMessage({ campaignId: "c1", recipientId: "r1", from: { name: "Sales", address: "s@acme.test" }, to: "x@y.test", subject: "Hi", html: "<p>Hi</p>", text: "Hi", unsubscribeUrl: "http://app/api/unsubscribe?token=t" });
      await tr.sendMail(msg);
      expect(sink.messages).toHaveLength(1);
      expect(sink.messages[0]).toMatchObject({ to: ["x@y.test"], messageId: campaignMessageId("c1", "r1", "s@acme.test"), listUnsubscribe: "<http://app/api/unsubscribe?token=t>", listUnsubscribePost: "List-Unsubscribe=One-Click" });
      expect(sink.messages[0].messageId).toBe("<c1.r1@acme.test>");
    } finally {
      tr.close();
      await sink.close();
    }
  });
});
