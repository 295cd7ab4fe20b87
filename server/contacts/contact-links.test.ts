import { describe, expect, it } from "vitest";
import { formatPhone, linkedinHref, mailtoHref, telHref, webHref } from "./contact-links";

/** Each [input, expected] pair through `fn`. */
function check<I, O>(fn: (input: I) => O, cases: [I, O][]) {
  expect(cases.map(([input]) => fn(input))).toEqual(cases.map(([, expected]) => expected));
}

const huge = "9".repeat(10_000);

describe("contact links", () => {
  it("formats stored E.164 numbers for reading, and leaves what it cannot read alone", () => {
    check(formatPhone, [
      ["+442079460123", "+44 20 7946 0123"],
      ["+84903456789", "+84 903 456 789"],
      ["+14155550172", "+1 415 555 0172"],
      ["ext. 12", "ext. 12"],
      ["+999123", "+999123"],
      [huge, huge],
    ]);
  });

  it("makes tel: links from numbers only", () => {
    check(telHref, [
      ["+44 20 7946 0123", "tel:+442079460123"],
      ["(0)20-7946.0123", "tel:02079460123"],
      ["call me", null],
      ["javascript:alert(1)", null],
      ["12", null],
      [huge, null],
      [null, null],
    ]);
  });

  it("makes mailto: links from addresses only", () => {
    check(mailtoHref, [
      [" jane@northwind.example ", "mailto:jane@northwind.example"],
      ["bảo@hoabinh-tech.vn", "mailto:bảo@hoabinh-tech.vn"],
      ["jane@northwind.example?subject=hi&body=x", null],
      ["jane%0Abcc@northwind.example", null],
      ["jane@northwind", null],
      ['x"@a.b', null],
      ["<script>@a.b", null],
      [`${"a".repeat(300)}@northwind.example`, null],
      ["", null],
    ]);
  });

  it("makes website links with http(s) only: a javascript: or data: 'website' gets none", () => {
    check(webHref, [
      ["northwind.example", "https://northwind.example/"],
      ["http://northwind.example/about", "http://northwind.example/about"],
      ["HTTPS://Northwind.Example", "https://northwind.example/"],
      ["javascript:alert(1)", null],
      ["JavaScript:alert(1)//x.com", null],
      ["data:text/html,<script>alert(1)</script>", null],
      ["localhost", null],
      ["north wind.example", null],
      [null, null],
    ]);
  });

  it("makes LinkedIn links to linkedin.com only", () => {
    check(linkedinHref, [
      ["linkedin.com/in/jane-cooper", "https://linkedin.com/in/jane-cooper"],
      ["https://www.linkedin.com/in/jane-cooper", "https://www.linkedin.com/in/jane-cooper"],
      ["https://linkedin.com.evil.example/in/jane", null],
      ["https://evil.example/linkedin.com", null],
      ["javascript:alert(1)", null],
    ]);
  });
});
