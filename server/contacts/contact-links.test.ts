import { describe, expect, it } from "vitest";
import { formatPhone, linkedinHref, mailtoHref, telHref, webHref } from "./contact-links";

describe("contact links", () => {
  it("formats stored E.164 numbers for reading, and leaves what it cannot read alone", () => {
    expect(formatPhone("+442079460123")).toBe("+44 20 7946 0123");
    expect(formatPhone("+84903456789")).toBe("+84 903 456 789");
    expect(formatPhone("+14155550172")).toBe("+1 415 555 0172");
    expect(formatPhone("ext. 12")).toBe("ext. 12");
    expect(formatPhone("+999123")).toBe("+999123");
  });

  it("makes tel: links from numbers only", () => {
    expect(telHref("+44 20 7946 0123")).toBe("tel:+442079460123");
    expect(telHref("(0)20-7946.0123")).toBe("tel:02079460123");
    expect(telHref("call me")).toBeNull();
    expect(telHref("javascript:alert(1)")).toBeNull();
    expect(telHref("12")).toBeNull();
    expect(telHref(null)).toBeNull();
  });

  it("makes mailto: links from addresses only", () => {
    expect(mailtoHref(" jane@northwind.example ")).toBe("mailto:jane@northwind.example");
    expect(mailtoHref("bảo@hoabinh-tech.vn")).toBe("mailto:bảo@hoabinh-tech.vn");
    expect(mailtoHref("jane@northwind.example?subject=hi&body=x")).toBeNull();
    expect(mailtoHref("jane%0Abcc@northwind.example")).toBeNull();
    expect(mailtoHref("jane@northwind")).toBeNull();
    expect(mailtoHref('x"@a.b')).toBeNull();
    expect(mailtoHref("<script>@a.b")).toBeNull();
    expect(mailtoHref("")).toBeNull();
  });

  it("makes website links with http(s) only: a javascript: or data: 'website' gets none", () => {
    expect(webHref("northwind.example")).toBe("https://northwind.example/");
    expect(webHref("http://northwind.example/about")).toBe("http://northwind.example/about");
    expect(webHref("HTTPS://Northwind.Example")).toBe("https://northwind.example/");
    expect(webHref("javascript:alert(1)")).toBeNull();
    expect(webHref("JavaScript:alert(1)//x.com")).toBeNull();
    expect(webHref("data:text/html,<script>alert(1)</script>")).toBeNull();
    expect(webHref("localhost")).toBeNull();
    expect(webHref("north wind.example")).toBeNull();
    expect(webHref(null)).toBeNull();
  });

  it("makes LinkedIn links to linkedin.com only", () => {
    expect(linkedinHref("linkedin.com/in/jane-cooper")).toBe("https://linkedin.com/in/jane-cooper");
    expect(linkedinHref("https://www.linkedin.com/in/jane-cooper")).toBe("https://www.linkedin.com/in/jane-cooper");
    expect(linkedinHref("https://linkedin.com.evil.example/in/jane")).toBeNull();
    expect(linkedinHref("https://evil.example/linkedin.com")).toBeNull();
    expect(linkedinHref("javascript:alert(1)")).toBeNull();
  });
});
