// Templates an email never needs, refused before Handlebars parses them, and what a sent email may contain
// (hostile review of templates and emails).
import { describe, expect, it } from "vitest";
import { checkTemplate, compileTemplates, MAX_TEMPLATE_DEPTH, MAX_TEMPLATE_TAGS, mergeDataFor } from "./templates";
import { composeMessage } from "./compose";

const nested = (depth: number) => `${"{{#if company}}x".repeat(depth)}${"{{/if}}".repeat(depth)}`;

describe("template size and depth", () => {
  it("refuses nesting past the limit with a 422 naming it, before any parse (a 6,000-deep one took 18 s)", () => {
    expect(() => checkTemplate("html", nested(MAX_TEMPLATE_DEPTH))).not.toThrow();
    expect(() => checkTemplate("html", nested(MAX_TEMPLATE_DEPTH + 1))).toThrow(/nests .* more than 50 deep/);
    expect(() => checkTemplate("html", nested(20_000))).toThrow(/more than 50 deep/);
  });

  it("refuses more merge tags than an email needs", () => {
    expect(() => checkTemplate("text", "{{firstName}} ".repeat(MAX_TEMPLATE_TAGS))).not.toThrow();
    expect(() => checkTemplate("text", "{{firstName}} ".repeat(MAX_TEMPLATE_TAGS + 1))).toThrow(/more than 5,000/);
  });
});

describe("what the HTML may contain", () => {
  it.each([
    ["<script> split by a Handlebars comment", "<scr{{!-- --}}ipt>alert(1)</scr{{!-- --}}ipt>", /<script>/],
    ["javascript: split by a comment", '<a href="java{{!x}}script:alert(2)">x</a>', /javascript:/],
    ["javascript: as character references", '<a href="jav&#x61;script&colon;alert(1)">x</a>', /javascript:/],
    ["vbscript:", '<a href="vbscript:msgbox(1)">x</a>', /vbscript:/],
    ["an event handler", '<img src="https://x.example/a.png" onerror="alert(3)">', /event-handler/],
    ["an event handler after the tag name", "<img/onerror=alert(3) src=x>", /event-handler/],
    ["a data: page", '<a href="data:text/html,<b>x</b>">x</a>', /data:/],
    ["a merge tag opening a link", '<a href="{{company}}">x</a>', /starts with a merge tag/],
  ])("refuses %s", (_name, html, message) => {
    expect(() => checkTemplate("html", html)).toThrow(message);
  });

  it("keeps what newsletters use: links with merge tags after the address, the unsubscribe link, images, 'on' in text and URLs", () => {
    const html = [
      '<a href="https://acme.example/offer?who={{email}}">Offer for {{firstName}}</a>',
      '<a href="{{unsubscribeUrl}}">Unsubscribe</a>',
      '<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo"> <img src="https://acme.example/online=1/logo.png">',
      "<p>Join us on Monday; the onboarding is online.</p>",
    ].join("\n");
    expect(checkTemplate("html", html)).toEqual([]);
  });
});

describe("compiled once per content", () => {
  it("the same content under the same key is compiled once, whatever else changed; new content compiles anew", () => {
    const src = { subject: "Hi {{firstName}}", html: "<p>Hello {{fullName}}</p>", text: "Hello" };
    const a = compileTemplates(src, "campaign-1");
    expect(compileTemplates({ ...src }, "campaign-1")).toBe(a);
    expect(compileTemplates({ ...src, html: "<p>Bye {{fullName}}</p>" }, "campaign-1")).not.toBe(a);
  });
});

describe("an HTML body with nothing in it", () => {
  it("is left out of the message, so clients show the text", () => {
    const compiled = compileTemplates({ subject: "Offer", html: "{{#if company}}<p>For {{company}}</p>{{/if}}\n", text: "Hi {{firstName}}, here is our offer." });
    const out = compiled.render(mergeDataFor({ fullName: "Ann Lee" }, "https://app.example/u"));
    const msg = composeMessage({ campaignId: "c1", recipientId: "r1", from: { name: "Sales", address: "s@acme.test" }, to: "ann@x.test", subject: out.subject, html: out.html, text: out.text, unsubscribeUrl: "https://app.example/u" });
    expect(msg.html).toBeUndefined();
    expect(msg.text).toBe("Hi Ann, here is our offer.");
  });
});

describe("what the HTML checks leave alone (session review: nine newsletter cases were refused)", () => {
  it.each([
    ["an inline SVG logo", '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="logo">'],
    ["a PNG data URL without base64", '<img src="data:image/png,%89PNG" alt="x">'],
    ["an HTML comment with 'one ='", "<!-- Section one = hero banner --><p>Hi</p>"],
    ["'online=' after a '<' in text", "<p>Orders &#60; $50 ship free, online=only this week</p>"],
    ["a heading about Java Script", "<h2>Java Script : a beginner's course</h2>"],
    ["a data-href with a merge tag", '<a href="https://acme.example/?u={{email}}" data-href="{{email}}">x</a>'],
    ["{{^}} used as else, 60 times", "{{#if company}}a{{^}}b{{/if}}".repeat(60)],
    ["escaped \\{{#if}} 60 times", "\\{{#if x}} ".repeat(60)],
    ["{{#if}} inside a comment 60 times", `{{!-- ${"{{#if company}}".repeat(60)} --}}`],
  ])("accepts %s", (_name, html) => {
    expect(() => checkTemplate("html", html)).not.toThrow();
  });

  it("a campaign already launched is compiled as approved, even if a rule added since would refuse it", () => {
    const src = { subject: "Hi", html: nested(MAX_TEMPLATE_DEPTH + 1), text: "" };
    expect(() => compileTemplates(src)).toThrow(/more than 50 deep/);
    expect(() => compileTemplates(src, "campaign-launched", { launched: true })).not.toThrow();
  });
});
