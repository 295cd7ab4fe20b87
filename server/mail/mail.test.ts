// Templates, unsubscribe tokens, SMTP error classes and the sink itself.
import { describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { checkTemplate, compileTemplates, mergeDataFor } from "./templates";
import { AppError } from "../errors";
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

  it("reports unknown merge tags as warnings with their line; allows #if and #unless", () => {
    expect(checkTemplate("text", "{{#if company}}{{company}}{{else}}friend{{/if}}{{#unless title}}x{{/unless}}")).toEqual([]);
    const w = checkTemplate("text", "a\n{{nickname}}\n{{#if vip}}x{{else if company}}y{{/if}}\n{{\"literal\"}}");
    expect(w.map((x) => [x.tag, x.line])).toEqual([["nickname", 2], ["vip", 3], ["literal", 4]]);
    expect(w[0].message).toMatch(/Unknown merge tag \{\{nickname\}\} on line 2; it will render empty/);
  });

  // Each construct that cannot render: one clear 422 naming it and its line, the same from
  // checkTemplate (save, launch) and compileTemplates (preview, test send, worker).
  const refused: [string, string, RegExp][] = [
    ["unknown block helper", "<p>\n{{#each items}}x{{/each}}</p>", /^The html uses an unknown helper \{\{#each\}\} on line 2: only \{\{#if …\}\} and \{\{#unless …\}\} blocks are supported\.$/],
    ["unknown helper with arguments", '{{lookup . "a"}}', /^The html uses an unknown helper \{\{lookup …\}\} on line 1: only .* a merge tag takes no arguments\.$/],
    ["a merge tag given a hash argument", "{{firstName default=1}}", /unknown helper \{\{firstName …\}\} on line 1/],
    ["partial", "a\nb\n{{> footer}}", /^The html includes a partial \{\{> footer\}\} on line 3: partials are not supported/],
    ["partial block", "{{#> layout}}x{{/layout}}", /includes a partial \{\{> layout\}\} on line 1/],
    ["decorator", "{{* deco}}", /uses a decorator \{\{\* deco\}\} on line 1: decorators are not supported/],
    ["inline partial (decorator block)", '{{#*inline "x"}}y{{/inline}}', /uses a decorator \{\{\* inline\}\} on line 1/],
    ["sub-expression", "{{#if (lookup a b)}}x{{/if}}", /uses a sub-expression \(lookup …\) on line 1: sub-expressions are not supported/],
    ["#if without its argument", "{{#if}}x{{/if}}", /has \{\{#if\}\} with 0 arguments on line 1: it takes exactly one merge tag/],
    ["#unless with two arguments", "{{#unless a b}}x{{/unless}}", /has \{\{#unless\}\} with 2 arguments/],
    ["if as a plain tag", "{{if company}}", /uses \{\{if\}\} as a plain tag on line 1: it must open a block, e.g. \{\{#if company\}\}…\{\{\/if\}\}/],
    ["a merge tag opening a block", "{{#company}}x{{/company}}", /opens a block with a merge tag, \{\{#company\}\}, on line 1: use \{\{#if company\}\}/],
    ["an inverted section", "{{^company}}x{{/company}}", /\{\{\^company\}\}, on line 1: use \{\{#unless company\}\}/],
    ["a raw block", "{{{{raw}}}} {{x}} {{{{/raw}}}}", /unknown helper \{\{#raw\}\}/],
  ];
  it.each(refused)("refuses %s with one clear message, at check and at compile alike", (_kind, html, message) => {
    const checked = (() => { try { checkTemplate("html", html); } catch (e) { return e; } })();
    expect(checked).toBeInstanceOf(AppError);
    expect((checked as AppError).code).toBe("VALIDATION");
    expect((checked as AppError).message).toMatch(message);
    expect((checked as AppError).message).not.toMatch(/syntax error|Cannot read|is not a function/);
    expect(() => compileTemplates({ subject: "s", html, text: "" })).toThrow((checked as AppError).message);
  });

  it("names the first refused construct of the QA review's template, not a runtime TypeError", () => {
    expect(() => compileTemplates({ subject: "s", html: '<p>{{#each items}}x{{/each}} {{lookup . "a"}} {{> partial}}</p>', text: "" }))
      .toThrow("The html uses an unknown helper {{#each}} on line 1: only {{#if …}} and {{#unless …}} blocks are supported.");
    expect(() => checkTemplate("subject", "{{> partial}}")).toThrow(/^The subject includes a partial/);
  });

  it("renders every template the check lets through (worst inputs), unknown tags as empty", () => {
    const accepted = ["{{nickname}}", "{{\"str\"}}{{123}}{{true}}", "{{@index}}{{../x}}{{this.firstName}}", "{{__proto__}}{{constructor}}{{company.constructor}}",
      "{{#if company includeZero=true}}y{{/if}}", '{{#if "x"}}y{{/if}}', "{{#if a}}x{{^}}y{{/if}}", "{{#if firstName}}{{else if company}}{{else}}z{{/if}}", "{{!-- note --}}{{! also }}"];
    for (const t of accepted) {
      const c = compileTemplates({ subject: t, html: t, text: t });
      expect(() => c.render(mergeDataFor({ fullName: "Ann Lee", company: "Acme" }, "http://x/u")), t).not.toThrow();
    }
    expect(compileTemplates({ subject: "", html: "[{{nickname}}]", text: "" }).render(mergeDataFor({}, "u")).html).toBe("[]");
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

  it("an empty UNSUBSCRIBE_SECRET (a `UNSUBSCRIBE_SECRET=` line in .env) is not a key: a link forged with an empty key is refused", () => {
    const before = process.env.UNSUBSCRIBE_SECRET;
    try {
      for (const empty of ["", "   "]) {
        process.env.UNSUBSCRIBE_SECRET = empty;
        const forged = signUnsubscribeToken({ email: "victim@example.com", campaignId: null }, empty);
        expect(() => verifyUnsubscribeToken(forged)).toThrow(/not valid/);
        // What the app signs is still good: the key falls back to NEXTAUTH_SECRET's.
        expect(verifyUnsubscribeToken(signUnsubscribeToken({ email: "a@b.test", campaignId: null }))).toMatchObject({ email: "a@b.test" });
      }
    } finally {
      if (before === undefined) delete process.env.UNSUBSCRIBE_SECRET;
      else process.env.UNSUBSCRIBE_SECRET = before;
    }
  });
});

describe("SMTP errors", () => {
  // Stage by stage against real SMTP servers: smtp-stage.test.ts.
  it("4xx and connection errors are temporary; 5xx permanent; only mailbox refusals (5.1.1, 550 to RCPT TO) are hard bounces", () => {
    expect(classifySmtpError({ responseCode: 451, response: "451 later" }).kind).toBe("temporary");
    expect(classifySmtpError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }).kind).toBe("temporary");
    expect(classifySmtpError({ responseCode: 550, response: "550 5.1.1 unknown user" })).toMatchObject({ kind: "permanent", hardBounce: true });
    // The reply line already carries its code: it is not repeated ("550 550 …").
    expect(classifySmtpError({ responseCode: 550, response: "550 5.1.1 unknown user" }).reason).toBe("550 5.1.1 unknown user");
    expect(classifySmtpError({ responseCode: 451, response: "451 4.3.0 later" }).reason).toBe("451 4.3.0 later");
    expect(classifySmtpError({ responseCode: 554, message: "Message rejected" }).reason).toBe("554 Message rejected");
    expect(classifySmtpError({ responseCode: 550, response: "5500 odd" }).reason).toBe("550 5500 odd");
    expect(classifySmtpError({ responseCode: 552, response: "552 too big" })).toMatchObject({ kind: "permanent", hardBounce: false });
    expect(classifySmtpError({ responseCode: 550, response: "550 no such user", command: "RCPT TO" })).toMatchObject({ hardBounce: true, setup: false });
    expect(classifySmtpError({ responseCode: 550, response: "550 no such user" })).toMatchObject({ hardBounce: false }); // stage unknown
    expect(classifySmtpError({ responseCode: 550, response: "550 5.1.10 null MX", command: "RCPT TO" })).toMatchObject({ hardBounce: true });
    expect(classifySmtpError({ responseCode: 553, response: "553 5.1.8 Sender domain unknown", command: "RCPT TO" })).toMatchObject({ hardBounce: false, setup: true });
    expect(classifySmtpError({ responseCode: 535, response: "535 5.7.8 Authentication failed", command: "AUTH PLAIN" })).toMatchObject({ hardBounce: false, setup: true });
    expect(classifySmtpError({ code: "ESOCKET", syscall: "read", message: "read ECONNRESET", command: "CONN" })).toMatchObject({ kind: "uncertain" });
    // At DATA: a content refusal is the set-up's (counts toward the auto-pause); a full mailbox is the recipient's.
    expect(classifySmtpError({ responseCode: 554, response: "554 5.7.1 Message rejected as spam", command: "DATA" })).toMatchObject({ hardBounce: false, setup: true });
    expect(classifySmtpError({ responseCode: 552, response: "552 5.2.2 Mailbox full", command: "DATA" })).toMatchObject({ hardBounce: false, setup: false });
    expect(classifySmtpError({ code: "ESOCKET", syscall: "connect", message: "connect EHOSTUNREACH", command: "CONN" })).toMatchObject({ kind: "temporary" });
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

describe("merge tags firstName / lastName", () => {
  it.each([
    ["Jane Cooper", "Jane", "Cooper"],
    ["Mary Jane Smith", "Mary", "Smith"],
    ["Nguyễn Văn An", "Văn An", "Nguyễn"],
    ["Nguyen Thi Minh Anh", "Thi Minh Anh", "Nguyen"],
    ["山田 太郎", "太郎", "山田"],
    ["王小明", "小明", "王"],
    ["Nagy János", "János", "Nagy"],
    ["Cher", "Cher", ""],
    ["", "", ""],
  ])("%s → first %s, last %s", (fullName, first, last) => {
    const d = mergeDataFor({ fullName }, "u");
    expect([d.firstName, d.lastName]).toEqual([first, last]);
  });
});

